/**
 * Loading an editor's code on demand (a dynamic import), once per page: the editors' bundles
 * (Tiptap, and Yjs for notes) are large, so pages download them only after hydration and only
 * where an editor is shown.
 */

/**
 * Wraps a dynamic import so every caller shares one download; after a failure (e.g. a flaky
 * network) the next call tries again instead of repeating the failure.
 */
export function onDemand<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= load();
    pending.catch(() => {
      pending = null;
    });
    return pending;
  };
}
