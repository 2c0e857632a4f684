/**
 * A thread page's live feed over the tab's one socket (docs/decisions/014-catch-up-after-reconnect.md).
 * Shared by the thread page (use-thread-room.ts) and the tests, like NoteProvider.
 *
 * - Joins `thread:<id>` with the page's change number; the ack carries every change since
 *   (the catch-up read), so nothing committed while the page was away is missed.
 * - After a reconnect that Socket.IO's connection state recovery restored (a short gap), the
 *   socket is back in its rooms and the events it missed are replayed: nothing to read. After
 *   any other reconnect (a longer gap, a server restart or deploy, another process), and when
 *   the server says cross-process delivery is back (`realtime:status` live), it joins again
 *   with its change number and catches up.
 * - Every change carries the thread's change number: a change is applied once (an older or
 *   equal one for the same reply is dropped, whether it came live, replayed or read) and the
 *   page's number only advances over numbers it has seen without a gap.
 * - A join refused because the server cannot deliver live updates right now ("unavailable",
 *   "overloaded") is retried with a growing delay, and the page says so meanwhile.
 */
import type { ErrorCode } from "~/utils/errors";
import type { ReplyView, ThreadChange, ThreadState, Viewer } from "./events";
import type { ClientSocket } from "./socket.client";

export type LiveStatus = "connecting" | "live" | "offline" | "unavailable";

export interface ThreadFeedState {
  status: LiveStatus;
  viewers: number | null;
  people: Viewer[];
  /** Why the feed is not live, when the server said (e.g. "forbidden", "unavailable"). */
  error: ErrorCode | null;
}

export interface ThreadFeedOptions {
  /** The change number the page's replies were read at (the loader's `changeSeq`). */
  since: number;
  /** Changes to apply to the page, oldest first; each reaches the page once. */
  onChanges(changes: ThreadChange[]): void;
  /** Too much changed while away to send: reload the page's data, then call `reset`. */
  onReload?(): void;
  /** Lock, pin, slow mode, move or delete changed the thread. */
  onThreadUpdated?(state: ThreadState): void;
}

const ACK_TIMEOUT_MS = 15_000;
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 15_000;
/** Changes kept to re-deliver after the page reloads its data (see `reset`). */
const LOG_LIMIT = 500;

const seqOf = (change: ThreadChange) => (change.kind === "upsert" ? change.reply.changeSeq : change.changeSeq);
const idOf = (change: ThreadChange) => (change.kind === "upsert" ? change.reply.id : change.replyId);

export class ThreadFeed {
  state: ThreadFeedState = { status: "connecting", viewers: null, people: [], error: null };
  /** Every change up to this number is applied (or was in the page's data). */
  private cursor: number;
  /** Numbers applied beyond the cursor, past a gap (a change this reader never sees, or one still on its way). */
  private ahead = new Set<number>();
  /** The highest number applied per reply. */
  private applied = new Map<string, number>();
  private log: ThreadChange[] = [];
  /** The server has acknowledged our join since the last connection that was not recovered. */
  private joined = false;
  private joining = false;
  private rejoin = false;
  private destroyed = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryDelay = RETRY_MIN_MS;
  private listeners = new Set<(state: ThreadFeedState) => void>();

  constructor(
    readonly socket: ClientSocket,
    readonly threadId: string,
    private readonly options: ThreadFeedOptions,
  ) {
    this.cursor = options.since;
    socket.on("connect", this.onConnect);
    socket.on("disconnect", this.onDisconnect);
    socket.on("connect_error", this.onDisconnect);
    socket.on("reply:created", this.onReply);
    socket.on("reply:updated", this.onReply);
    socket.on("reply:removed", this.onRemoved);
    socket.on("thread:updated", this.onThread);
    socket.on("presence:update", this.onPresence);
    socket.on("realtime:status", this.onRealtimeStatus);
    if (socket.connected) void this.join();
    else this.set({ status: "offline" });
  }

  /** Calls `listener` now and on every state change; returns an unsubscribe. */
  subscribe(listener: (state: ThreadFeedState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  /** The change number up to which the page has everything. */
  get changeSeq(): number {
    return this.cursor;
  }

  /**
   * The page reloaded its data, read at change number `since`: changes applied since then are
   * delivered again (the new data does not have them), older ones are forgotten.
   */
  reset(since: number): void {
    const newer = this.log.filter((change) => seqOf(change) > since);
    this.log = newer;
    this.applied = new Map();
    this.ahead = new Set();
    this.cursor = since;
    for (const change of newer) this.record(change);
    if (newer.length) this.options.onChanges(newer);
  }

  destroy(): void {
    this.destroyed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket.off("connect", this.onConnect);
    this.socket.off("disconnect", this.onDisconnect);
    this.socket.off("connect_error", this.onDisconnect);
    this.socket.off("reply:created", this.onReply);
    this.socket.off("reply:updated", this.onReply);
    this.socket.off("reply:removed", this.onRemoved);
    this.socket.off("thread:updated", this.onThread);
    this.socket.off("presence:update", this.onPresence);
    this.socket.off("realtime:status", this.onRealtimeStatus);
    if (this.socket.connected) this.socket.emit("thread:leave", { threadId: this.threadId });
    this.listeners.clear();
  }

  private set(patch: Partial<ThreadFeedState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }

  /** Joins the room and catches up from the cursor; one at a time (a request meanwhile runs after). */
  private async join(): Promise<void> {
    if (this.destroyed) return;
    if (this.joining) {
      this.rejoin = true;
      return;
    }
    this.joining = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.state.status !== "live") this.set({ status: "connecting" });
    try {
      const ack = await this.socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck("thread:join", { threadId: this.threadId, since: this.cursor })
        .catch(() => null);
      if (this.destroyed) return;
      if (!ack) {
        if (this.socket.connected) this.retryLater("unavailable");
        return;
      }
      if (!ack.ok) {
        if (ack.error === "unavailable" || ack.error === "overloaded" || ack.error === "rate_limited") this.retryLater(ack.error);
        else this.set({ status: "offline", error: ack.error });
        return;
      }
      this.joined = true;
      this.retryDelay = RETRY_MIN_MS;
      if (ack.catchUp?.reload) {
        this.options.onReload?.();
      } else if (ack.catchUp) {
        this.apply(ack.catchUp.changes);
        this.advanceTo(ack.catchUp.upTo);
      }
      this.set({ status: "live", error: null, viewers: ack.viewers, people: ack.people });
    } finally {
      this.joining = false;
      if (this.rejoin && !this.destroyed) {
        this.rejoin = false;
        void this.join();
      }
    }
  }

  private retryLater(error: ErrorCode): void {
    this.set({ status: "unavailable", error });
    if (this.retryTimer || this.destroyed) return;
    // A little jitter, so the pages of a whole site do not come back in step.
    const delay = this.retryDelay * (0.8 + Math.random() * 0.4);
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.socket.connected) void this.join();
    }, delay);
  }

  /** Applies what is new (by each reply's change number) and hands it to the page in one call. */
  private apply(changes: ThreadChange[]): void {
    const fresh = changes.filter((change) => {
      const seq = seqOf(change);
      if (seq <= this.cursor || seq <= (this.applied.get(idOf(change)) ?? 0)) return false;
      this.record(change);
      this.log.push(change);
      return true;
    });
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
    if (fresh.length) this.options.onChanges(fresh);
  }

  /** Remembers a change as applied and moves the cursor over numbers seen without a gap. */
  private record(change: ThreadChange): void {
    const seq = seqOf(change);
    this.applied.set(idOf(change), Math.max(seq, this.applied.get(idOf(change)) ?? 0));
    if (seq > this.cursor) this.ahead.add(seq);
    this.advanceTo(this.cursor);
  }

  private advanceTo(seq: number): void {
    this.cursor = Math.max(this.cursor, seq);
    for (const n of this.ahead) if (n <= this.cursor) this.ahead.delete(n);
    while (this.ahead.delete(this.cursor + 1)) this.cursor += 1;
  }

  private onConnect = (): void => {
    // A short gap: the server put the socket back in its rooms and replayed what it missed.
    if (this.socket.recovered && this.joined) return this.set({ status: "live", error: null });
    this.joined = false;
    void this.join();
  };

  private onDisconnect = (): void => {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.set({ status: "offline" });
  };

  private onReply = ({ reply }: { reply: ReplyView }): void => {
    if (reply.threadId === this.threadId) this.apply([{ kind: "upsert", reply }]);
  };

  private onRemoved = (payload: { threadId: string; replyId: string; changeSeq: number }): void => {
    if (payload.threadId === this.threadId) this.apply([{ kind: "removed", replyId: payload.replyId, changeSeq: payload.changeSeq }]);
  };

  private onThread = (state: ThreadState): void => {
    if (state.threadId === this.threadId) this.options.onThreadUpdated?.(state);
  };

  private onPresence = (payload: { threadId: string; viewers: number; people: Viewer[] }): void => {
    if (payload.threadId === this.threadId) this.set({ viewers: payload.viewers, people: payload.people });
  };

  private onRealtimeStatus = ({ state }: { state: "live" | "degraded" }): void => {
    if (state === "degraded") return this.set({ status: "unavailable", error: "unavailable" });
    // Delivery across processes is back: what was published meanwhile may not have reached us.
    this.retryDelay = RETRY_MIN_MS;
    if (this.socket.connected) void this.join();
  };
}
