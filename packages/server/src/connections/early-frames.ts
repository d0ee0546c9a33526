import { CLOSE_CODES, decodeClientFrame } from '@botwire/protocol';
import type { RawData, WebSocket } from 'ws';
import { Refusal } from './connection-refusal.js';
import { byteLength, toText } from './raw-data.js';

/** A frame that arrived before its connection was ready. */
export interface EarlyFrame {
  data: RawData;
  isBinary: boolean;
}

/** Options for {@link EarlyFrames}. */
export interface EarlyFramesOptions {
  /** Bytes of early frames kept at most; past it `onOverflow` is called, once. */
  maxBytes?: number;
  onOverflow?: () => void;
}

/**
 * Keeps the frames a client sends while its connection is being set up (the `authenticate`
 * frame and whatever the client sent right after it), and wakes whoever waits for the first.
 * Bounded by bytes: what arrives past `maxBytes` is not kept, and the owner is told to refuse.
 */
export class EarlyFrames {
  readonly frames: EarlyFrame[] = [];
  private wakeUp: (() => void) | undefined;
  private bytes = 0;
  /** More than `maxBytes` arrived; the frames past it were dropped. */
  overflowed = false;

  constructor(private readonly options: EarlyFramesOptions = {}) {}

  /** The `message` listener to put on the socket until the connection is ready. */
  readonly listener = (data: RawData, isBinary: boolean): void => {
    if (this.overflowed) return;
    this.bytes += byteLength(data);
    if (this.bytes > (this.options.maxBytes ?? Number.POSITIVE_INFINITY)) {
      this.overflowed = true;
      this.options.onOverflow?.();
      return;
    }
    this.frames.push({ data, isBinary });
    this.wakeUp?.();
  };

  get count(): number {
    return this.frames.length;
  }

  /**
   * Waits for the first frame to be `authenticate` and returns its token. Browsers cannot set
   * headers on a WebSocket, so this is how they send credentials other than the cookie.
   */
  async takeAuthenticateToken(websocket: WebSocket, timeoutMs: number): Promise<string> {
    const first = await new Promise<EarlyFrame | undefined>((resolve) => {
      if (this.frames[0] !== undefined) {
        resolve(this.frames[0]);
        return;
      }
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      const wake = (): void => {
        clearTimeout(timer);
        websocket.off('close', wake);
        this.wakeUp = undefined;
        resolve(this.frames[0]);
      };
      // A client that leaves while we wait frees its slot at once, not at the deadline.
      websocket.once('close', wake);
      this.wakeUp = wake;
    });
    if (first === undefined) {
      throw new Refusal(
        'AUTH_TIMEOUT',
        `No credentials: send an Authorization header, the session cookie, or an authenticate frame within ${timeoutMs} ms.`,
        CLOSE_CODES.UNAUTHENTICATED,
      );
    }
    this.frames.shift();
    const decoded = first.isBinary ? undefined : decodeClientFrame(toText(first.data));
    if (decoded === undefined || !decoded.ok || decoded.value.type !== 'authenticate') {
      throw new Refusal(
        'NOT_AUTHENTICATED',
        'The first frame must be {"type":"authenticate","token":"..."} when no Authorization header or session cookie is sent.',
        CLOSE_CODES.UNAUTHENTICATED,
      );
    }
    return decoded.value.token;
  }
}
