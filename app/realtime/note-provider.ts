/**
 * The co-editing provider: binds a Y.Doc (and an Awareness) to a note over the tab's one
 * Socket.IO connection (server/sockets/docs.ts). Shared by the browser editor and the tests.
 *
 * - On (re)connect: `doc:join` (gives the role), then sync step 1; the server answers with the
 *   updates we lack (step 2) and its own state vector (step 1), to which we answer with step 2:
 *   whatever we edited offline. Edits made while offline are therefore merged on reconnect.
 * - Local updates go out as `doc:sync` update messages; the server stores each one before it
 *   acknowledges it, so `status` is "saved" only when every local change has been acknowledged.
 * - Updates from others arrive as `doc:sync` and are applied with this provider as origin, so an
 *   UndoManager tracking only local origins never undoes them.
 * - While the member composes with an input method (`beginComposition` … `endComposition`,
 *   called by the editor), nothing local goes out: the uncommitted composition is neither sent
 *   to co-editors nor stored; at its end the committed text goes out once, in an update that
 *   carries none of the intermediate letters (app/realtime/yjs-clean.ts). What we send to fill
 *   the server's gaps (sync step 2) never carries deleted text either.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import type { ErrorCode } from "~/utils/errors";
import type { NotePresence, NoteRoleName } from "./events";
import type { ClientSocket } from "./socket.client";
import { compositionUpdate, encodeStateAsUpdateWithoutDeletedText } from "./yjs-clean";

export type NoteStatus = "connecting" | "saving" | "saved" | "offline" | "error";

export interface NoteProviderState {
  status: NoteStatus;
  role: NoteRoleName | null;
  error: ErrorCode | null;
  /** How others see this member (name, roles, colour), as the server told us on joining. */
  me: NotePresence | null;
}

const ACK_TIMEOUT_MS = 30_000;
const AWARENESS_INTERVAL_MS = 100;
/**
 * Local changes go out at most every UPDATE_INTERVAL_MS (what accumulates meanwhile is merged
 * into one update): with awareness every 100 ms that is at most 30 events a second, the
 * socket's per-connection limit (server/sockets/index.ts), however fast someone types and
 * however short the round trip.
 */
const UPDATE_INTERVAL_MS = 50;
/** After a lost send or a refusal for rate, wait this long before syncing again. */
const RATE_LIMIT_RETRY_MS = 1000;

export class NoteProvider {
  readonly awareness: awarenessProtocol.Awareness;
  state: NoteProviderState = { status: "connecting", role: null, error: null, me: null };
  /** True once joined and synced since the last (re)connect. */
  synced = false;
  private pending = 0;
  /** Local changes made while not joined: sent by the step-2 answer on the next sync. */
  private unsent = false;
  private joined = false;
  private listeners = new Set<(state: NoteProviderState) => void>();
  private syncWaiters: (() => void)[] = [];
  private destroyed = false;
  private inFlight = false;
  private generation = 0;
  private awarenessChanged = new Set<number>();
  private awarenessTimer: ReturnType<typeof setTimeout> | null = null;
  private queue: Uint8Array[] = [];
  private lastSentAt = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** An IME composition under way: our clock when it began, and the local updates made since. */
  private composition: { clock: number; updates: Uint8Array[] } | null = null;
  /** A server's sync step 1 that arrived mid-composition, answered when it ends. */
  private deferredStep1: Uint8Array | null = null;

  constructor(
    readonly socket: ClientSocket,
    readonly noteId: string,
    readonly doc: Y.Doc,
    awareness?: awarenessProtocol.Awareness,
  ) {
    this.awareness = awareness ?? new awarenessProtocol.Awareness(doc);
    doc.on("update", this.onDocUpdate);
    this.awareness.on("update", this.onAwarenessUpdate);
    socket.on("connect", this.onConnect);
    socket.on("disconnect", this.onDisconnect);
    socket.on("doc:sync", this.onRemoteSync);
    socket.on("doc:awareness", this.onRemoteAwareness);
    socket.on("doc:role", this.onRole);
    socket.on("realtime:status", this.onRealtimeStatus);
    // The browser knows it lost the network before the socket's heartbeat does (Engine.IO only
    // closes on the "offline" event for hosts other than localhost): say "offline" at once.
    if (typeof window !== "undefined") {
      window.addEventListener("offline", this.onNetworkChange);
      window.addEventListener("online", this.onNetworkChange);
    }
    if (socket.connected) void this.join();
    else this.set({ status: "offline" });
  }

  subscribe(listener: (state: NoteProviderState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once joined and synced (now, if already). */
  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** Resolves when every local change has been acknowledged as stored. */
  async whenSaved(): Promise<void> {
    while (!this.destroyed && this.state.status !== "saved") {
      await new Promise<void>((resolve) => {
        const off = this.subscribe((s) => {
          if (s.status === "saved" || s.status === "error") {
            queueMicrotask(() => off());
            resolve();
          }
        });
      });
      if (this.state.status === "error") throw new Error(this.state.error ?? "error");
    }
  }

  /**
   * An input method started composing in the editor: hold local changes (the composition's
   * intermediate text) until `endComposition`.
   */
  beginComposition(): void {
    if (this.composition || this.destroyed) return;
    this.composition = { clock: Y.getState(this.doc.store, this.doc.clientID), updates: [] };
    this.refreshStatus();
  }

  /**
   * The composition is over and the editor holds the committed text: send what it changed, once,
   * without the letters typed and replaced meanwhile.
   */
  endComposition(): void {
    const composition = this.composition;
    if (!composition) return;
    this.composition = null;
    if (this.destroyed) return;
    if (composition.updates.length) {
      const update = compositionUpdate(this.doc, composition.clock, composition.updates);
      if (this.socket.connected && this.synced) this.queue.push(update);
      else this.unsent = true;
    }
    const step1 = this.deferredStep1;
    this.deferredStep1 = null;
    if (step1) this.handleSyncMessage(step1);
    this.flush();
    this.refreshStatus();
  }

  get canEdit(): boolean {
    return this.state.role === "owner" || this.state.role === "editor";
  }

  destroy(): void {
    this.destroyed = true;
    this.composition = null;
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.doc.off("update", this.onDocUpdate);
    this.awareness.off("update", this.onAwarenessUpdate);
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], "local");
    if (this.joined && this.socket.connected) {
      // Others drop our caret now rather than after awareness's 30-second timeout.
      this.socket.emit("doc:awareness", { noteId: this.noteId, update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]) });
    }
    this.socket.off("connect", this.onConnect);
    this.socket.off("disconnect", this.onDisconnect);
    this.socket.off("doc:sync", this.onRemoteSync);
    this.socket.off("doc:awareness", this.onRemoteAwareness);
    this.socket.off("doc:role", this.onRole);
    this.socket.off("realtime:status", this.onRealtimeStatus);
    if (typeof window !== "undefined") {
      window.removeEventListener("offline", this.onNetworkChange);
      window.removeEventListener("online", this.onNetworkChange);
    }
    if (this.socket.connected) this.socket.emit("doc:leave", { noteId: this.noteId });
    this.listeners.clear();
  }

  private set(patch: Partial<NoteProviderState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }

  private refreshStatus(): void {
    if (this.state.status === "error") return;
    if (!this.socket.connected || (typeof navigator !== "undefined" && navigator.onLine === false)) return this.set({ status: "offline" });
    if (!this.joined || !this.synced) return this.set({ status: "connecting" });
    this.set({ status: this.pending > 0 || this.unsent || this.queue.length > 0 || this.composition?.updates.length ? "saving" : "saved" });
  }

  private async join(): Promise<void> {
    // Acks of sends from before this (re)join no longer count: the step 2 below covers them.
    this.generation += 1;
    this.pending = 0;
    this.inFlight = false;
    this.joined = false;
    this.synced = false;
    this.refreshStatus();
    const joined = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("doc:join", { noteId: this.noteId }).catch(() => null);
    if (this.destroyed) return;
    if (!joined) return this.refreshStatus();
    if (!joined.ok && (joined.error === "rate_limited" || joined.error === "overloaded")) return this.retryLater();
    if (!joined.ok) return this.set({ status: "error", error: joined.error, role: null });
    this.joined = true;
    this.set({ role: joined.role, error: null, me: joined.me });
    const step1 = encoding.createEncoder();
    syncProtocol.writeSyncStep1(step1, this.doc);
    const answer = await this.socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck("doc:sync", { noteId: this.noteId, message: encoding.toUint8Array(step1) })
      .catch(() => null);
    if (this.destroyed || !answer) return this.refreshStatus();
    if (!answer.ok && (answer.error === "rate_limited" || answer.error === "overloaded")) return this.retryLater();
    if (!answer.ok) return this.set({ status: "error", error: answer.error });
    this.unsent = false;
    this.queue = [];
    for (const message of answer.replies) this.handleSyncMessage(new Uint8Array(message as ArrayBuffer));
    this.synced = true;
    for (const resolve of this.syncWaiters.splice(0)) resolve();
    // Announce ourselves again with a new clock: others may have dropped our state (the server
    // says so when a connection ends) and ignore a state at a clock they have seen.
    const local = this.awareness.getLocalState();
    if (local !== null) this.awareness.setLocalState(local);
    this.refreshStatus();
  }

  /** Applies a step 2 or update; answers a step 1 (the server's state vector) with our step 2. */
  private handleSyncMessage(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    if (type === syncProtocol.messageYjsSyncStep1) {
      // Mid-composition our document holds uncommitted text: answer once it is over.
      if (this.composition) {
        this.deferredStep1 = message;
        return;
      }
      // Everything the server lacks, without text deleted before it ever had it (the y-protocols
      // step 2, written by hand: `readSyncStep1` would encode deleted text too).
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
      encoding.writeVarUint8Array(encoder, encodeStateAsUpdateWithoutDeletedText(this.doc, decoding.readVarUint8Array(decoder)));
      // Only editors' changes are accepted; a reader's step 2 would be refused anyway. Its
      // acknowledgement means the server holds everything we have (`fillsGap`).
      if (this.canEdit) this.send(encoding.toUint8Array(encoder), true);
      return;
    }
    syncProtocol.readSyncMessage(decoding.createDecoder(message), encoding.createEncoder(), this.doc, this);
  }

  /**
   * At most one `doc:sync` is in flight per note: local updates made meanwhile are merged and
   * sent when it is acknowledged (and UPDATE_INTERVAL_MS has passed), so fast typing stays
   * inside the socket's event rate limit.
   */
  private send(message: Uint8Array, fillsGap = false): void {
    this.pending += 1;
    this.inFlight = true;
    this.lastSentAt = Date.now();
    this.refreshStatus();
    const generation = this.generation;
    this.socket.timeout(ACK_TIMEOUT_MS).emit("doc:sync", { noteId: this.noteId, message }, (err, result) => {
      if (generation !== this.generation) return;
      this.pending -= 1;
      this.inFlight = false;
      if (err || (!result.ok && (result.error === "rate_limited" || result.error === "overloaded"))) {
        // Unknown whether it was stored: the next sync's step 2 resends whatever the server lacks.
        this.retryLater();
      } else if (!result.ok && result.error === "update_incomplete") {
        // The server lacks an earlier change of ours and did not store this one; it has asked
        // for everything beyond what it holds (a step 1, already answered): not saved until then.
        this.unsent = true;
      } else if (!result.ok) {
        this.set({ status: "error", error: result.error });
        return;
      } else if (fillsGap) {
        this.unsent = false;
      }
      this.flush();
      this.refreshStatus();
    });
  }

  /**
   * Sends the queued local updates as one merged update, unless a send is in flight or the last
   * one left less than UPDATE_INTERVAL_MS ago (then it runs again when that time is up).
   */
  private flush(): void {
    if (this.inFlight || this.queue.length === 0 || !this.socket.connected || !this.synced) return;
    const wait = this.lastSentAt + UPDATE_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = null;
        if (!this.destroyed) this.flush();
      }, wait);
      return;
    }
    const update = this.queue.length === 1 ? this.queue[0]! : Y.mergeUpdates(this.queue);
    this.queue = [];
    const encoder = encoding.createEncoder();
    syncProtocol.writeUpdate(encoder, update);
    this.send(encoding.toUint8Array(encoder));
  }

  /**
   * Runs the step 1 / step 2 exchange again after a moment, once: a send was lost or refused
   * for rate or a busy database, or the join or its sync was (a burst of events, overload). Local changes
   * count as unsent until then; the step 2 carries whatever the server lacks.
   */
  private retryLater(): void {
    this.unsent = true;
    this.refreshStatus();
    if (this.retryTimer || this.destroyed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      // Skipped when a reconnect has synced meanwhile (nothing unsent) or a send is under way.
      if (!this.destroyed && this.socket.connected && this.unsent && !this.inFlight) void this.join();
    }, RATE_LIMIT_RETRY_MS);
  }

  private onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this) return;
    if (this.composition) {
      this.composition.updates.push(update);
      return this.refreshStatus();
    }
    if (!this.socket.connected || !this.synced) {
      this.unsent = true;
      return this.refreshStatus();
    }
    this.queue.push(update);
    this.flush();
    this.refreshStatus();
  };

  /** Local awareness changes (caret moves) are sent at most every AWARENESS_INTERVAL_MS. */
  private onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin?: unknown): void => {
    if (origin === "remote") return;
    for (const id of [...added, ...updated, ...removed]) this.awarenessChanged.add(id);
    if (this.awarenessTimer) return;
    this.awarenessTimer = setTimeout(() => {
      this.awarenessTimer = null;
      const changed = [...this.awarenessChanged];
      this.awarenessChanged.clear();
      if (!this.joined || !this.socket.connected || this.destroyed || changed.length === 0) return;
      this.socket.emit("doc:awareness", { noteId: this.noteId, update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed) });
    }, AWARENESS_INTERVAL_MS);
  };

  private onRemoteSync = (payload: { noteId: string; message: Uint8Array }): void => {
    if (payload.noteId !== this.noteId) return;
    this.handleSyncMessage(new Uint8Array(payload.message as unknown as ArrayBuffer));
  };

  private onRemoteAwareness = (payload: { noteId: string; update: Uint8Array }): void => {
    if (payload.noteId !== this.noteId) return;
    const known = new Set(this.awareness.getStates().keys());
    awarenessProtocol.applyAwarenessUpdate(this.awareness, new Uint8Array(payload.update as unknown as ArrayBuffer), "remote");
    // The relay keeps no awareness: when someone new appears, tell them who we are (and where our caret is).
    const newcomer = [...this.awareness.getStates().keys()].some((id) => !known.has(id));
    if (newcomer && this.awareness.getLocalState() !== null) this.onAwarenessUpdate({ added: [], updated: [this.doc.clientID], removed: [] });
  };

  private onRole = (payload: { noteId: string; role: NoteRoleName | null }): void => {
    if (payload.noteId !== this.noteId) return;
    if (payload.role === null) {
      this.joined = false;
      this.set({ role: null, status: "error", error: "not_found" });
    } else {
      this.set({ role: payload.role });
      // Joining again tells the server the new role to show others (it stamps our presence).
      if (this.joined && this.socket.connected) {
        this.socket.emit("doc:join", { noteId: this.noteId }, (result) => {
          if (result.ok && !this.destroyed) this.set({ role: result.role, me: result.me });
        });
      }
    }
  };

  private onNetworkChange = (): void => {
    this.refreshStatus();
  };

  private onConnect = (): void => {
    void this.join();
  };

  /** Delivery across processes is back: updates relayed meanwhile may have missed us; sync again. */
  private onRealtimeStatus = ({ state }: { state: "live" | "degraded" }): void => {
    if (state === "live" && this.socket.connected && !this.destroyed) void this.join();
  };

  private onDisconnect = (): void => {
    this.joined = false;
    this.synced = false;
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, others, "remote");
    this.refreshStatus();
  };
}
