/**
 * Small React hooks over the tab's socket: follow a category (lists refresh their unread
 * counts), the live notification badge, a case study's live comments, and sending a command
 * with an acknowledgement. What a page shows live also catches up after a reconnect
 * (`onCatchUp`): Socket.IO's connection state recovery replays what a short disconnection
 * missed; after any other reconnect, or when the server says delivery is back, the page reads
 * again (docs/decisions/014-catch-up-after-reconnect.md).
 */
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { CommandInput, CommandName } from "./commands";
import type { AckResult } from "./events";
import { getSocket, type ClientSocket } from "./socket.client";

/**
 * Keeps a page's live view whole across reconnects. `join` runs on every connection that did
 * not recover the session (the socket is in no room then), including the first; `catchUp`
 * runs whenever the page may have missed events: after such a reconnect, and when
 * cross-process delivery comes back (`realtime:status` live). Returns the function that stops.
 */
export function onCatchUp(
  socket: ClientSocket,
  handlers: { join?: () => void; catchUp: () => void; /** Also catch up on the first connection (what happened between the page's render and it). */ firstConnect?: boolean },
): () => void {
  let connectedBefore = socket.connected;
  const onConnect = () => {
    const reconnect = connectedBefore;
    connectedBefore = true;
    if (reconnect && socket.recovered) return;
    handlers.join?.();
    if (reconnect || handlers.firstConnect) handlers.catchUp();
  };
  const onStatus = ({ state }: { state: "live" | "degraded" }) => {
    if (state === "live") handlers.catchUp();
  };
  socket.on("connect", onConnect);
  socket.on("realtime:status", onStatus);
  return () => {
    socket.off("connect", onConnect);
    socket.off("realtime:status", onStatus);
  };
}

/**
 * Joins `category:<key>` and revalidates the page's loaders (debounced) when a thread in it
 * changes, and after a reconnect that may have missed such a change.
 */
export function useCategoryRoom(categoryKey: string | null) {
  const revalidator = useRevalidator();
  const revalidateRef = useRef(revalidator.revalidate);
  revalidateRef.current = revalidator.revalidate;
  useEffect(() => {
    if (!categoryKey) return;
    const socket = getSocket();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const join = () => socket.emit("category:join", { categoryKey }, () => {});
    const revalidate = () => {
      clearTimeout(timer);
      timer = setTimeout(() => revalidateRef.current(), 250);
    };
    const onActivity = (p: { categoryKey: string }) => {
      if (p.categoryKey === categoryKey) revalidate();
    };
    // Joins on every connection that was not recovered; reloads the list after one that may have missed activity.
    const stop = onCatchUp(socket, { join, catchUp: revalidate });
    socket.on("category:activity", onActivity);
    if (socket.connected) join();
    return () => {
      clearTimeout(timer);
      stop();
      socket.off("category:activity", onActivity);
      if (socket.connected) socket.emit("category:leave", { categoryKey });
    };
  }, [categoryKey]);
}

/**
 * The unread notification count: the server's value at render, then live updates, and the
 * current count read again after a reconnect that may have missed some.
 */
export function useNotificationBadge(initial: number, enabled: boolean) {
  const [count, setCount] = useState(initial);
  useEffect(() => setCount(initial), [initial]);
  useEffect(() => {
    if (!enabled) return;
    const socket = getSocket();
    const onCount = (p: { unread: number }) => setCount(p.unread);
    socket.on("notifications:count", onCount);
    const stop = onCatchUp(socket, {
      // A count is cheap: read it on the first connection too, which covers anything that
      // happened between the page's render and its socket joining the member's room.
      firstConnect: true,
      catchUp: () =>
        socket.emit("notifications:fetch", {}, (result) => {
          if (result.ok) setCount(result.unread);
        }),
    });
    return () => {
      stop();
      socket.off("notifications:count", onCount);
    };
  }, [enabled]);
  return count;
}

/**
 * Joins `caseStudy:<id>` and reloads the page's data (its comments) when a comment is posted or
 * deleted, and after a reconnect that may have missed some. Returns whether the room is joined.
 */
export function useCaseStudyRoom(caseStudyId: string, enabled: boolean): boolean {
  const revalidator = useRevalidator();
  const revalidateRef = useRef(revalidator.revalidate);
  revalidateRef.current = revalidator.revalidate;
  const [live, setLive] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    const socket = getSocket();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const revalidate = () => {
      clearTimeout(timer);
      timer = setTimeout(() => revalidateRef.current(), 100);
    };
    const join = () => socket.emit("caseStudy:join", { caseStudyId }, (result) => setLive(result.ok));
    const onChanged = (p: { caseStudyId: string }) => {
      if (p.caseStudyId === caseStudyId) revalidate();
    };
    const onDisconnect = () => setLive(false);
    const onConnect = () => {
      // A recovered connection is back in its rooms.
      if (socket.recovered) setLive(true);
    };
    const stop = onCatchUp(socket, { join, catchUp: revalidate });
    socket.on("caseStudyComment:changed", onChanged);
    socket.on("disconnect", onDisconnect);
    socket.on("connect", onConnect);
    if (socket.connected) join();
    return () => {
      clearTimeout(timer);
      stop();
      socket.off("caseStudyComment:changed", onChanged);
      socket.off("disconnect", onDisconnect);
      socket.off("connect", onConnect);
      if (socket.connected) socket.emit("caseStudy:leave", { caseStudyId });
    };
  }, [caseStudyId, enabled]);
  return live;
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
