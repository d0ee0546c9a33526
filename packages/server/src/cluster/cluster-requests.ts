import { randomUUID } from 'node:crypto';

/** One request waiting for the replies of the other nodes. */
interface PendingRequest<TReply> {
  awaiting: Set<string>;
  replies: Map<string, TReply>;
  isFinal: (reply: TReply) => boolean;
  finish: () => void;
}

/** The answers a request got, and the nodes that did not answer in time. */
export interface GatheredReplies<TReply> {
  replies: Map<string, TReply>;
  missing: string[];
}

/**
 * Requests sent to every other node and their replies, matched by request id. A request ends
 * when every node alive when it was sent answered, when a reply `isFinal` (the node that holds
 * a connection said so), or at the timeout: a node that died without leaving the node list yet
 * delays a request by the timeout, never blocks it.
 */
export class ClusterRequests<TReply> {
  readonly #pending = new Map<string, PendingRequest<TReply>>();

  constructor(private readonly timeoutMs: number) {}

  /**
   * Sends a request through `send` (given a fresh request id) to the nodes `peers`, and gathers
   * their replies.
   */
  async gather(options: {
    peers: readonly string[];
    send: (requestId: string) => Promise<void>;
    isFinal?: (reply: TReply) => boolean;
  }): Promise<GatheredReplies<TReply>> {
    const requestId = randomUUID();
    const awaiting = new Set(options.peers);
    const replies = new Map<string, TReply>();
    if (awaiting.size === 0) return { replies, missing: [] };
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.#pending.delete(requestId);
        resolve();
      };
      this.#pending.set(requestId, {
        awaiting,
        replies,
        isFinal: options.isFinal ?? (() => false),
        finish,
      });
      timer = setTimeout(finish, this.timeoutMs);
    });
    try {
      await options.send(requestId);
    } catch (error) {
      this.#pending.get(requestId)?.finish();
      throw error;
    }
    await done;
    return { replies, missing: [...awaiting] };
  }

  /** Files a reply from node `origin`; replies to unknown or finished requests are ignored. */
  receive(requestId: string, origin: string, reply: TReply): void {
    const pending = this.#pending.get(requestId);
    if (pending === undefined) return;
    pending.replies.set(origin, reply);
    pending.awaiting.delete(origin);
    if (pending.awaiting.size === 0 || pending.isFinal(reply)) pending.finish();
  }
}
