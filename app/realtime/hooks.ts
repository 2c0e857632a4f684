/**
 * Small React hooks over the tab's socket: follow a category (lists refresh their unread
 * counts), the live notification badge, and sending a command with an acknowledgement.
 */
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { CommandInput, CommandName } from "./commands";
import type { AckResult } from "./events";
import { getSocket } from "./socket.client";

/** Joins `category:<key>` and revalidates the page's loaders (debounced) when a thread in it changes. */
export function useCategoryRoom(categoryKey: string | null) {
  const revalidator = useRevalidator();
  const revalidateRef = useRef(revalidator.revalidate);
  revalidateRef.current = revalidator.revalidate;
  useEffect(() => {
    if (!categoryKey) return;
    const socket = getSocket();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const join = () => socket.emit("category:join", { categoryKey }, () => {});
    const onActivity = (p: { categoryKey: string }) => {
      if (p.categoryKey !== categoryKey) return;
      clearTimeout(timer);
      timer = setTimeout(() => revalidateRef.current(), 250);
    };
    socket.on("connect", join);
    socket.on("category:activity", onActivity);
    if (socket.connected) join();
    return () => {
      clearTimeout(timer);
      socket.off("connect", join);
      socket.off("category:activity", onActivity);
      if (socket.connected) socket.emit("category:leave", { categoryKey });
    };
  }, [categoryKey]);
}

/** The unread notification count: the server's value at render, then live updates. */
export function useNotificationBadge(initial: number, enabled: boolean) {
  const [count, setCount] = useState(initial);
  useEffect(() => setCount(initial), [initial]);
  useEffect(() => {
    if (!enabled) return;
    const socket = getSocket();
    const onCount = (p: { unread: number }) => setCount(p.unread);
    socket.on("notifications:count", onCount);
    return () => {
      socket.off("notifications:count", onCount);
    };
  }, [enabled]);
  return count;
}

/** Sends a command over the socket; resolves with its acknowledgement (10 s timeout). */
export function sendCommand<N extends CommandName>(name: N, input: CommandInput<N>): Promise<AckResult<{ result: unknown }>> {
  const socket = getSocket();
  return new Promise((resolve) => {
    // The typed emit signature is per event; the command map makes every name valid here.
    (socket.timeout(10_000) as unknown as { emit: (n: string, i: unknown, cb: (err: Error | null, r: AckResult<{ result: unknown }>) => void) => void }).emit(
      name,
      input,
      (err, result) => resolve(err ? { ok: false, error: "validation", message: "timeout" } : result),
    );
  });
}
