import { BotwireClientError } from '@botwire/client';
import { describe, expect, it } from 'vitest';
import { buildMultiReport } from './multi-report.js';
import { multiSession, runMulti, type MultiRunOptions } from './multi-run.js';
import { FakeConnection, type FakeBehaviour } from './fake-connection.test-support.js';

function options(
  behaviourFor: (index: number) => FakeBehaviour,
  overrides: Partial<MultiRunOptions> = {},
) {
  const clients: FakeConnection[] = [];
  const sessions: string[] = [];
  const run: MultiRunOptions = {
    connections: 3,
    messagesPerConnection: 2,
    sessionType: 'person',
    sessionPrefix: 'multi',
    timeoutMs: 5_000,
    createClient: (index, session) => {
      const client = new FakeConnection(behaviourFor(index));
      clients[index] = client;
      sessions[index] = session;
      return client;
    },
    messageFor: (connection, message) => ({
      chain: `message ${message} from ${connection}`,
      expectation: 'yes',
    }),
    ...overrides,
  };
  return { run, clients, sessions };
}

describe('multiSession', () => {
  it('gives person connections their own conversations and group ones a shared one', () => {
    expect(multiSession('person', 'multi', 7)).toBe('multi-7');
    expect(multiSession('group', 'multi', 7)).toBe('multi');
  });
});

describe('runMulti', () => {
  it('sends every message on every connection and measures every reply', async () => {
    const progress: number[] = [];
    const { run, clients, sessions } = options(() => ({}), {
      onProgress: (state) => progress.push(state.messagesDone),
    });
    const result = await runMulti(run);
    expect(sessions).toEqual(['multi-0', 'multi-1', 'multi-2']);
    expect(result.connections).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(result.messages).toHaveLength(6);
    for (const message of result.messages) {
      expect(message).toMatchObject({ sent: true, reply: 'complete', chunks: 4 });
      expect(message.firstChunkMs).toBeGreaterThanOrEqual(0);
      expect(message.finalMs).toBeGreaterThanOrEqual(message.firstChunkMs!);
    }
    // One after the other on each connection, and everyone disconnected at the end.
    for (const client of clients) {
      expect(client.sent.map((sent) => sent.text)).toEqual([
        expect.stringMatching(/^message 0 /),
        expect.stringMatching(/^message 1 /),
      ]);
      expect(client.sent[1]!.at).toBeGreaterThanOrEqual(client.finals[0]!.at);
      expect(client.disconnects).toBeGreaterThanOrEqual(1);
    }
    expect(progress.at(-1)).toBe(6);
    const report = buildMultiReport(result, {
      pipeline: 'p',
      sessionType: 'person',
      messagesPerConnection: 2,
    });
    expect(report.ok).toBe(true);
    expect(report.replies.complete).toBe(6);
    expect(report.chunks).toBe(24);
  });

  it('records a refused connection and does not send on it', async () => {
    const refusal = new BotwireClientError({ code: 'PIPELINE_NOT_FOUND', message: 'no' });
    const { run, clients } = options((index) => (index === 1 ? { refuseConnect: refusal } : {}));
    const result = await runMulti(run);
    expect(result.connections[1]).toEqual({ ok: false, errorCode: 'PIPELINE_NOT_FOUND' });
    expect(clients[1]!.sent).toEqual([]);
    expect(result.messages.filter((message) => message.reply === 'unsent')).toHaveLength(2);
  });

  it('records refused sends by code and goes on with the next message', async () => {
    const { run } = options(() => ({
      refuseSend: (text) =>
        text.startsWith('message 0')
          ? new BotwireClientError({ code: 'QUEUE_FULL', message: 'full' })
          : undefined,
    }));
    const result = await runMulti(run);
    const codes = result.messages.map((message) => message.errorCode ?? message.reply);
    expect(codes).toEqual([
      'QUEUE_FULL',
      'complete',
      'QUEUE_FULL',
      'complete',
      'QUEUE_FULL',
      'complete',
    ]);
  });

  it('gives up on a reply that does not end in time', async () => {
    const { run } = options(() => ({ reply: () => ['slow', 'slow reply'], chunkDelayMs: 10_000 }), {
      connections: 1,
      messagesPerConnection: 1,
      timeoutMs: 50,
    });
    const result = await runMulti(run);
    expect(result.messages).toEqual([
      { sent: true, reply: 'timeout', chunks: 0, errorCode: 'REPLY_TIMEOUT' },
    ]);
  });

  it('does not wait for replies a group message will not get', async () => {
    const { run } = options(() => ({ reply: () => undefined }), {
      sessionType: 'group',
      messageFor: () => ({ chain: 'hello', expectation: 'no' }),
    });
    const result = await runMulti(run);
    expect(result.messages.every((message) => message.reply === 'none')).toBe(true);
  });

  it('counts error frames on live connections', async () => {
    const { run, clients } = options(() => ({ chunkDelayMs: 5 }), {
      connections: 1,
      messagesPerConnection: 1,
      messageFor: () => ({ chain: 'a b c', expectation: 'yes' }),
      onProgress: () => {
        clients[0]?.emitError(
          new BotwireClientError({ code: 'RATE_LIMITED', message: 'slow down' }),
        );
      },
    });
    const result = await runMulti(run);
    expect(result.liveErrors).toContain('RATE_LIMITED');
  });
});
