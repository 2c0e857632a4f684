/**
 * Joins `thread:<id>` over the tab's socket (re-joining after a reconnect), delivers new
 * replies to `onReply`, and tracks how many members are viewing.
 */
import { useEffect, useRef, useState } from "react";
import type { ReplyView } from "./events";
import { getSocket } from "./socket.client";

export type LiveStatus = "connecting" | "live" | "offline";

export function useThreadRoom(threadId: string, onReply: (reply: ReplyView) => void) {
  const [viewers, setViewers] = useState<number | null>(null);
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const onReplyRef = useRef(onReply);
  onReplyRef.current = onReply;

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
      if (reply.threadId === threadId) onReplyRef.current(reply);
    };
    const onPresence = (p: { threadId: string; viewers: number }) => {
      if (p.threadId === threadId) setViewers(p.viewers);
    };
    const onDisconnect = () => setStatus("offline");
    socket.on("connect", join);
    socket.on("disconnect", onDisconnect);
    socket.on("connect_error", onDisconnect);
    socket.on("reply:created", onCreated);
    socket.on("presence:update", onPresence);
    if (socket.connected) join();
    return () => {
      socket.off("connect", join);
      socket.off("disconnect", onDisconnect);
      socket.off("connect_error", onDisconnect);
      socket.off("reply:created", onCreated);
      socket.off("presence:update", onPresence);
      if (socket.connected) socket.emit("thread:leave", { threadId });
    };
  }, [threadId]);

  return { viewers, status };
}
