import {
  BotwireClientError,
  type BroadcastEvent,
  type ChatMessage,
  type ConnectionState,
  type MessageChain,
  type ResyncEvent,
  type SendMessageOptions,
  type SessionResetEvent,
  type StateChange,
} from '@botwire/client';
import type { ChatConnection } from './chat-loop.js';

type Listener<T> = (value: T) => void;

/** What the fake does with a sent message. */
export interface FakeBehaviour {
  /** The reply's chunks (whole text grows by each); none: no reply. Default: echo word by word. */
  reply?(text: string): string[] | undefined;
  /** Delay between chunks, ms. */
  chunkDelayMs?: number;
  /** Reject the send with this error instead of acknowledging it. */
  refuseSend?(text: string): BotwireClientError | undefined;
  /** Reject connect() with this error. */
  refuseConnect?: BotwireClientError;
}

/** Plain text of a chain. */
export function chainText(chain: string | MessageChain): string {
  if (typeof chain === 'string') return chain;
  return chain
    .map((component) => {
      if (component.type === 'Plain') return component.text;
      if (component.type === 'At') return `@${component.display ?? component.target}`;
      return '';
    })
    .join('');
}

/**
 * An in-memory stand-in for `WebSocketClient`: acknowledges each message at once and streams an
 * echo reply, one word per chunk, as whole messages (as the SDK's onMessage does).
 */
export class FakeConnection implements ChatConnection {
  currentState: ConnectionState = 'idle';
  readonly sent: { text: string; chain: string | MessageChain; at: number }[] = [];
  readonly finals: { id: number; at: number }[] = [];
  cancels = 0;
  disconnects = 0;
  private nextId = 1;
  private streaming: { id: number; stop(): void } | undefined;
  private readonly listeners = {
    message: new Set<Listener<ChatMessage>>(),
    broadcast: new Set<Listener<BroadcastEvent>>(),
    stateChange: new Set<Listener<StateChange>>(),
    error: new Set<Listener<BotwireClientError>>(),
    sessionReset: new Set<Listener<SessionResetEvent>>(),
    resync: new Set<Listener<ResyncEvent>>(),
  };

  constructor(readonly behaviour: FakeBehaviour = {}) {}

  get state(): ConnectionState {
    return this.currentState;
  }

  connect(): Promise<void> {
    this.setState('connecting', { reason: 'connect-called' });
    const refusal = this.behaviour.refuseConnect;
    if (refusal !== undefined) {
      this.setState('closed', { reason: 'final-close-code', error: refusal });
      for (const listener of this.listeners.error) listener(refusal);
      return Promise.reject(refusal);
    }
    this.setState('connected', { reason: 'opened' });
    return Promise.resolve();
  }

  sendMessage(
    chain: string | MessageChain,
    options: SendMessageOptions = {},
  ): Promise<ChatMessage> {
    if (this.currentState !== 'connected') {
      return Promise.reject(new BotwireClientError({ code: 'NOT_CONNECTED', message: 'no' }));
    }
    const text = chainText(chain);
    this.sent.push({ text, chain, at: Date.now() });
    const refusal = this.behaviour.refuseSend?.(text);
    if (refusal !== undefined) return Promise.reject(refusal);
    const ack: ChatMessage = {
      id: this.nextId++,
      role: 'user',
      content: text,
      message_chain: typeof chain === 'string' ? [{ type: 'Plain', text }] : chain,
      timestamp: new Date().toISOString(),
      is_final: true,
      status: 'complete',
      reply_to: null,
      connection_id: 'fake-connection',
      client_id: options.clientId ?? null,
      sender: { id: 'static:test', name: 'tester' },
    };
    this.emitMessage(ack);
    const chunks = this.behaviour.reply
      ? this.behaviour.reply(text)
      : text.split(' ').map((_, index, words) => words.slice(0, index + 1).join(' '));
    if (chunks !== undefined) this.streamReply(ack.id, chunks);
    return Promise.resolve(ack);
  }

  cancel(): void {
    if (this.currentState !== 'connected') {
      throw new BotwireClientError({ code: 'NOT_CONNECTED', message: 'not connected' });
    }
    this.cancels += 1;
    if (this.streaming === undefined) {
      this.emitError(
        new BotwireClientError({
          code: 'NOTHING_TO_CANCEL',
          message: 'No reply is being generated.',
        }),
      );
      return;
    }
    this.streaming.stop();
  }

  disconnect(): void {
    this.disconnects += 1;
    if (this.currentState === 'closed' || this.currentState === 'idle') return;
    this.setState('closed', { reason: 'disconnect-called' });
  }

  /** Ends the connection for good, as after exhausted retries. */
  closeForGood(): void {
    const error = new BotwireClientError({
      code: 'CONNECTION_CLOSED',
      message: 'Gave up after 5 reconnect attempts.',
    });
    this.setState('closed', { reason: 'retries-exhausted', error });
    for (const listener of this.listeners.error) listener(error);
  }

  emitMessage(message: ChatMessage): void {
    for (const listener of this.listeners.message) listener(message);
  }

  emitBroadcast(message: string): void {
    for (const listener of this.listeners.broadcast) {
      listener({ message, timestamp: new Date().toISOString() });
    }
  }

  emitSessionReset(): void {
    for (const listener of this.listeners.sessionReset) {
      listener({ timestamp: new Date().toISOString() });
    }
  }

  emitError(error: BotwireClientError): void {
    for (const listener of this.listeners.error) listener(error);
  }

  setState(current: ConnectionState, details: Omit<StateChange, 'previous' | 'current'>): void {
    const previous = this.currentState;
    this.currentState = current;
    for (const listener of this.listeners.stateChange) listener({ previous, current, ...details });
  }

  onMessage(listener: Listener<ChatMessage>) {
    return this.add(this.listeners.message, listener);
  }
  onBroadcast(listener: Listener<BroadcastEvent>) {
    return this.add(this.listeners.broadcast, listener);
  }
  onStateChange(listener: Listener<StateChange>) {
    return this.add(this.listeners.stateChange, listener);
  }
  onError(listener: Listener<BotwireClientError>) {
    return this.add(this.listeners.error, listener);
  }
  onSessionReset(listener: Listener<SessionResetEvent>) {
    return this.add(this.listeners.sessionReset, listener);
  }
  onResync(listener: Listener<ResyncEvent>) {
    return this.add(this.listeners.resync, listener);
  }

  private add<T>(set: Set<Listener<T>>, listener: Listener<T>): () => void {
    set.add(listener);
    return () => set.delete(listener);
  }

  private streamReply(replyTo: number, chunks: string[]): void {
    const id = this.nextId++;
    const delay = this.behaviour.chunkDelayMs ?? 1;
    const base = {
      id,
      role: 'assistant' as const,
      message_chain: [] as [],
      timestamp: new Date().toISOString(),
      reply_to: replyTo,
    };
    let index = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (content: string, status: 'complete' | 'cancelled'): void => {
      this.streaming = undefined;
      this.finals.push({ id, at: Date.now() });
      this.emitMessage({ ...base, content, is_final: true, status });
    };
    const step = (): void => {
      const content = chunks[index] ?? '';
      index += 1;
      if (index >= chunks.length) {
        finish(content, 'complete');
        return;
      }
      this.emitMessage({ ...base, content, is_final: false, status: 'streaming' });
      timer = setTimeout(step, delay);
    };
    this.streaming = {
      id,
      stop: () => {
        clearTimeout(timer);
        finish(chunks[Math.max(0, index - 1)] ?? '', 'cancelled');
      },
    };
    timer = setTimeout(step, delay);
  }
}

/** A stream that keeps what is written. */
export class Collector {
  text = '';
  constructor(readonly isTTY = false) {}
  write(text: string): boolean {
    this.text += text;
    return true;
  }
}
