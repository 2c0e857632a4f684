import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ReplyView, ThreadChange } from "./events";
import type { ClientSocket } from "./socket.client";
import { ThreadFeed } from "./thread-feed";

type JoinAck = { ok: true; viewers: number; people: []; catchUp?: { upTo: number; changes: ThreadChange[]; reload: boolean } } | { ok: false; error: string };

/** Just enough of a socket.io-client socket: events in, `thread:join` answered by `answer`. */
class FakeSocket extends EventEmitter {
  connected = true;
  recovered = false;
  joins: { threadId: string; since?: number }[] = [];
  constructor(public answer: (payload: { threadId: string; since?: number }) => JoinAck) {
    super();
  }
  timeout() {
    return {
      emitWithAck: async (_event: string, payload: { threadId: string; since?: number }) => {
        this.joins.push(payload);
        return this.answer(payload);
      },
    };
  }
  override emit(event: string, ...args: unknown[]): boolean {
    if (event === "thread:leave") return true;
    return super.emit(event, ...args);
  }
  /** Delivers a server event. */
  deliver(event: string, payload: unknown) {
    super.emit(event, payload);
  }
  reconnect(recovered: boolean) {
    this.recovered = recovered;
    this.connected = true;
    super.emit("connect");
  }
  drop() {
    this.connected = false;
    super.emit("disconnect", "transport close");
  }
}

const reply = (id: string, changeSeq: number, text = id): ReplyView => ({
  id,
  threadId: "t1",
  postNumber: Number(id.replace(/\D/g, "")) || 1,
  html: `<p>${text}</p>`,
  text,
  createdAt: "2026-12-06T00:00:00.000Z",
  editedAt: null,
  hidden: null,
  replyTo: null,
  author: { id: "a", displayName: "A", region: null, participant: null, staffOnly: false },
  attribution: "on_record",
  language: "en",
  translations: [],
  translationRequested: false,
  changeSeq,
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function open(answer: FakeSocket["answer"], since = 10) {
  const socket = new FakeSocket(answer);
  const applied: ThreadChange[] = [];
  const feed = new ThreadFeed(socket as unknown as ClientSocket, "t1", { since, onChanges: (list) => applied.push(...list) });
  return { socket, feed, applied };
}

const live = (): JoinAck => ({ ok: true, viewers: 1, people: [] });

describe("ThreadFeed", () => {
  afterEach(() => vi.useRealTimers());

  it("applies each change once, drops older ones for the same reply, and advances only over numbers without a gap", async () => {
    const { socket, feed, applied } = open(live);
    await settle();
    expect(feed.state.status).toBe("live");
    socket.deliver("reply:created", { reply: reply("r1", 11), committedAt: 0 });
    socket.deliver("reply:created", { reply: reply("r1", 11), committedAt: 0 }); // replayed twice
    socket.deliver("reply:removed", { threadId: "t1", replyId: "r1", changeSeq: 13 });
    socket.deliver("reply:updated", { reply: reply("r1", 12, "late edit") }); // older than the removal
    expect(applied.map((c) => [c.kind, c.kind === "upsert" ? c.reply.changeSeq : c.changeSeq])).toEqual([
      ["upsert", 11],
      ["removed", 13],
    ]);
    // 12 never came (an edit this reader is not sent): the page holds everything up to 11.
    expect(feed.changeSeq).toBe(11);

    // A reconnect Socket.IO did not recover: the feed joins again from 11 and the read fills the gap.
    socket.answer = () => ({ ok: true, viewers: 1, people: [], catchUp: { upTo: 14, changes: [{ kind: "upsert", reply: reply("r2", 14) }], reload: false } });
    socket.drop();
    expect(feed.state.status).toBe("offline");
    socket.reconnect(false);
    await settle();
    expect(socket.joins.at(-1)).toEqual({ threadId: "t1", since: 11 });
    expect(feed.changeSeq).toBe(14);
    expect(applied.map((c) => (c.kind === "upsert" ? c.reply.id : c.replyId))).toEqual(["r1", "r1", "r2"]);

    // A recovered one: rooms and missed events came back; no read.
    socket.drop();
    socket.reconnect(true);
    await settle();
    expect(socket.joins).toHaveLength(2);
    expect(feed.state.status).toBe("live");
  });

  it("after the page reloads its data, delivers again what is newer than the data", async () => {
    const { socket, feed, applied } = open(live);
    await settle();
    socket.deliver("reply:created", { reply: reply("r1", 11), committedAt: 0 });
    socket.deliver("reply:created", { reply: reply("r2", 12), committedAt: 0 });
    applied.length = 0;
    feed.reset(11); // the data was read at 11: it has r1, not r2
    expect(applied.map((c) => (c.kind === "upsert" ? c.reply.id : c.replyId))).toEqual(["r2"]);
    expect(feed.changeSeq).toBe(12);
  });

  it("says live updates are unavailable and retries with a growing delay until the server takes the join", async () => {
    vi.useFakeTimers();
    let refusals = 2;
    const { socket, feed } = open(() => (refusals-- > 0 ? { ok: false, error: "unavailable" } : live()));
    await vi.advanceTimersByTimeAsync(0);
    expect(feed.state).toMatchObject({ status: "unavailable", error: "unavailable" });
    await vi.advanceTimersByTimeAsync(1_300);
    expect(socket.joins).toHaveLength(2);
    expect(feed.state.status).toBe("unavailable");
    await vi.advanceTimersByTimeAsync(2_500);
    expect(socket.joins).toHaveLength(3);
    expect(feed.state.status).toBe("live");
    // The server says delivery across processes stopped, then that it is back: join and catch up.
    socket.deliver("realtime:status", { state: "degraded" });
    expect(feed.state.status).toBe("unavailable");
    socket.deliver("realtime:status", { state: "live" });
    await vi.advanceTimersByTimeAsync(0);
    expect(socket.joins).toHaveLength(4);
    expect(feed.state.status).toBe("live");
  });
});
