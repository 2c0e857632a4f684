import type { i18n as I18n } from "i18next";

/** Lookups without options: one entry per key used by the code, so this bound is never reached in practice. */
const PLAIN_LIMIT = 20_000;
/** Lookups with options (a name, a count, a language) are many: the most recent are kept. */
const WITH_OPTIONS_LIMIT = 5_000;

/** Options whose every value is a string, number or boolean give the same string every time; others are not remembered. */
function optionsKey(options: unknown): string | null {
  if (!options || typeof options !== "object" || Array.isArray(options)) return null;
  let key = "";
  for (const [name, value] of Object.entries(options)) {
    const type = typeof value;
    if (type !== "string" && type !== "number" && type !== "boolean" && value !== undefined) return null;
    key += `\u0001${name}\u0002${type[0]}${String(value)}`;
  }
  return key;
}

/**
 * A thread page asks i18next for a few hundred strings (each reply's menus), and each lookup
 * resolves the key, namespaces, fallbacks and interpolation anew: ≈ 5 % of a page's CPU
 * (bench/thread-page.ts profiled; docs/decisions/043-where-each-benchmark-stands.md). With the
 * resources and the instance's language fixed, a lookup's result depends only on its key and
 * options, so the `t` that components get remembers them: every lookup without options, and the
 * 5,000 most recent lookups whose options are plain strings, numbers and booleans (anything else —
 * objects, arrays, `returnObjects` results — goes through i18next every time).
 * Changes `i18n.getFixedT` in place (react-i18next's `useTranslation` calls it); only for an
 * instance whose resources and language never change, as the server's (entry.server.tsx).
 */
export function memoisePlainLookups(i18n: I18n): void {
  type LooseT = ((...args: unknown[]) => unknown) & { lng?: unknown; lngs?: unknown; ns?: unknown; keyPrefix?: unknown };
  const plain = new Map<string, string>();
  const withOptions = new Map<string, string>();
  const getFixedT = i18n.getFixedT.bind(i18n) as unknown as (lng: unknown, ns?: unknown, keyPrefix?: string) => LooseT;
  const memoised = (lng: unknown, ns?: unknown, keyPrefix?: string): LooseT => {
    const fixed = getFixedT(lng, ns, keyPrefix);
    const scope = `${String(lng)}\u0000${String(ns)}\u0000${keyPrefix ?? ""}\u0000`;
    const memo = (key: unknown, ...rest: unknown[]) => {
      if (typeof key !== "string" || rest.length > 1) return fixed(key, ...rest);
      if (rest.length === 0) {
        const cacheKey = scope + key;
        const known = plain.get(cacheKey);
        if (known !== undefined) return known;
        const result = fixed(key);
        if (typeof result === "string" && plain.size < PLAIN_LIMIT) plain.set(cacheKey, result);
        return result;
      }
      const options = optionsKey(rest[0]);
      if (options === null) return fixed(key, rest[0]);
      const cacheKey = scope + key + options;
      const known = withOptions.get(cacheKey);
      if (known !== undefined) {
        // Most recently used last, so the oldest is the first to go.
        withOptions.delete(cacheKey);
        withOptions.set(cacheKey, known);
        return known;
      }
      const result = fixed(key, rest[0]);
      if (typeof result === "string") {
        withOptions.set(cacheKey, result);
        if (withOptions.size > WITH_OPTIONS_LIMIT) withOptions.delete(withOptions.keys().next().value as string);
      }
      return result;
    };
    return Object.assign(memo, { lng: fixed.lng, lngs: fixed.lngs, ns: fixed.ns, keyPrefix: fixed.keyPrefix });
  };
  i18n.getFixedT = memoised as unknown as typeof i18n.getFixedT;
}
