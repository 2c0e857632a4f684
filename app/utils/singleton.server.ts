/**
 * Returns one shared instance per process, kept on `globalThis`.
 *
 * Why: the Express server (bundled from `server/`) and the Remix server build (or Vite's SSR
 * module graph in development) load our modules as separate copies. State that must be shared
 * between them — the Prisma client, the Socket.IO server, rate limiters — lives here.
 */
export function singleton<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as { __crnSingletons?: Map<string, unknown> };
  store.__crnSingletons ??= new Map();
  if (!store.__crnSingletons.has(name)) store.__crnSingletons.set(name, create());
  return store.__crnSingletons.get(name) as T;
}

/** Replaces a shared instance (used when the server wires the Socket.IO server in). */
export function setSingleton<T>(name: string, value: T): void {
  const store = globalThis as unknown as { __crnSingletons?: Map<string, unknown> };
  store.__crnSingletons ??= new Map();
  store.__crnSingletons.set(name, value);
}

/** Reads a shared instance without creating it; `undefined` if none was set. */
export function getSingleton<T>(name: string): T | undefined {
  const store = globalThis as unknown as { __crnSingletons?: Map<string, unknown> };
  return store.__crnSingletons?.get(name) as T | undefined;
}
