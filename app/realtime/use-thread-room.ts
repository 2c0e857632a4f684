/**
 * The thread page's live replies: a ThreadFeed (thread-feed.ts) on the tab's socket, joined for
 * as long as the page shows the thread. Changes reach the page once each, in order, whether
 * they came live, were replayed after a short disconnection, or were read after a longer one.
 */
import { useEffect, useRef, useState } from "react";
import type { ThreadChange, ThreadState } from "./events";
import { getSocket } from "./socket.client";
import { ThreadFeed, type ThreadFeedState } from "./thread-feed";

export type { LiveStatus } from "./thread-feed";

export interface ThreadRoomHandlers {
  /** The page's data was reloaded: forget the changes applied to the old data. */
  onReset(): void;
  /** Changes after the page's data, oldest first (delivered again after `onReset`). */
  onChanges(changes: ThreadChange[]): void;
  /** Too much changed while away: reload the page's data. */
  onReload(): void;
  onThreadUpdated?(state: ThreadState): void;
}

/**
 * Follows `thread:<threadId>` from the page data's change number. `data` is the page's data
 * (any value that changes identity when it is reloaded): on a reload the page is told to reset,
 * and the feed delivers again every change it holds beyond the new data's `changeSeq`.
 */
export function useThreadRoom(threadId: string, data: { changeSeq: number; token: unknown }, handlers: ThreadRoomHandlers) {
  const [state, setState] = useState<ThreadFeedState>({ status: "connecting", viewers: null, people: [], error: null });
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const feedRef = useRef<ThreadFeed | null>(null);
  const sinceRef = useRef(data.changeSeq);
  const tokenRef = useRef(data.token);

  useEffect(() => {
    const feed = new ThreadFeed(getSocket(), threadId, {
      since: sinceRef.current,
      onChanges: (changes) => handlersRef.current.onChanges(changes),
      onReload: () => handlersRef.current.onReload(),
      onThreadUpdated: (thread) => handlersRef.current.onThreadUpdated?.(thread),
    });
    feedRef.current = feed;
    const unsubscribe = feed.subscribe(setState);
    return () => {
      unsubscribe();
      feed.destroy();
      feedRef.current = null;
    };
  }, [threadId]);

  useEffect(() => {
    if (data.token === tokenRef.current) return;
    tokenRef.current = data.token;
    sinceRef.current = data.changeSeq;
    handlersRef.current.onReset();
    feedRef.current?.reset(data.changeSeq);
  }, [data.token, data.changeSeq]);

  return state;
}
