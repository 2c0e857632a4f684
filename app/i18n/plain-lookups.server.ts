import type { i18n as I18n } from "i18next";

/**
 * A thread page asks i18next for a few hundred strings (each reply's menus), and each lookup
 * resolves the key, namespaces and fallbacks anew: ≈ 5 % of a page's CPU (bench/thread-page.ts
 * profiled). A lookup without options can only ever give the same string here (the resources
 * and the instance's language never change), so the `t` that components get remembers those;
 * lookups with options (interpolation, plurals, context) go through i18next every time.
 * Changes `i18n.getFixedT` in place (react-i18next's `useTranslation` calls it); only for an
 * instance whose resources and language are fixed, as the server's are (entry.server.tsx).
 */
export function memoisePlainLookups(i18n: I18n): void {
  type LooseT = ((...args: unknown[]) => unknown) & { lng?: unknown; lngs?: unknown; ns?: unknown; keyPrefix?: unknown };
  const plain = new Map<string, string>();
  const getFixedT = i18n.getFixedT.bind(i18n) as unknown as (lng: unknown, ns?: unknown, keyPrefix?: string) => LooseT;
  const memoised = (lng: unknown, ns?: unknown, keyPrefix?: string): LooseT => {
    const fixed = getFixedT(lng, ns, keyPrefix);
    const scope = `${String(lng)}\u0000${String(ns)}\u0000${keyPrefix ?? ""}\u0000`;
    const memo = (key: unknown, ...rest: unknown[]) => {
      if (rest.length || typeof key !== "string") return fixed(key, ...rest);
      const cacheKey = scope + key;
      const known = plain.get(cacheKey);
      if (known !== undefined) return known;
      const result = fixed(key);
      if (typeof result === "string") plain.set(cacheKey, result);
      return result;
    };
    return Object.assign(memo, { lng: fixed.lng, lngs: fixed.lngs, ns: fixed.ns, keyPrefix: fixed.keyPrefix });
  };
  i18n.getFixedT = memoised as unknown as typeof i18n.getFixedT;
}
