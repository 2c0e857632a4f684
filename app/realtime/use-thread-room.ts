/**
 * Joins `thread:<id>` over the tab's socket (re-joining after a reconnect), delivers the room's
 * events to the page, and tracks how many members are viewing.
 */
import { useEffect, useRef, useState } from "react";
import type { ReplyView, ThreadState } from "./events";
import { getSocket } from "./socket.client";

export type LiveStatus = "connecting" | "live" | "offline";

export interface ThreadRoomHandlers {
  onReply(reply: ReplyView): void;
  onUpdated?(reply: ReplyView): void;
  onRemoved?(replyId: string): void;
  onThreadUpdated?(state: ThreadState): void;
}

export function useThreadRoom(threadId: string, handlers: ThreadRoomHandlers) {
  const [viewers, setViewers] = useState<number | null>(null);
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

  useEffect(() => {
    const socket = getSocket();
    const join = () =>
      socket.emit("thread:join", { threadId }, (result) => {
        if (result.ok) {
          setViewers(result.viewers);
          setStatus("live");
        } else {
          setStatus("offline");
        }
      });
    const onCreated = ({ reply }: { reply: ReplyView }) => {
      if (reply.threadId === threadId) handlersRef.current.onReply(reply);
    };
    const onUpdated = ({ reply }: { reply: ReplyView }) => {
      if (reply.threadId === threadId) handlersRef.current.onUpdated?.(reply);
    };
    const onRemoved = (p: { threadId: string; replyId: string }) => {
      if (p.threadId === threadId) handlersRef.current.onRemoved?.(p.replyId);
    };
    const onThread = (state: ThreadState) => {
      if (state.threadId === threadId) handlersRef.current.onThreadUpdated?.(state);
    };
    const onPresence = (p: { threadId: string; viewers: number }) => {
      if (p.threadId === threadId) setViewers(p.viewers);
    };
    const onDisconnect = () => setStatus("offline");
    socket.on("connect", join);
    socket.on("disconnect", onDisconnect);
    socket.on("connect_error", onDisconnect);
    socket.on("reply:created", onCreated);
    socket.on("reply:updated", onUpdated);
    socket.on("reply:removed", onRemoved);
    socket.on("thread:updated", onThread);
    socket.on("presence:update", onPresence);
    if (socket.connected) join();
    return () => {
      socket.off("connect", join);
      socket.off("disconnect", onDisconnect);
      socket.off("connect_error", onDisconnect);
      socket.off("reply:created", onCreated);
      socket.off("reply:updated", onUpdated);
      socket.off("reply:removed", onRemoved);
      socket.off("thread:updated", onThread);
      socket.off("presence:update", onPresence);
      if (socket.connected) socket.emit("thread:leave", { threadId });
    };
  }, [threadId]);

  return { viewers, status };
}
