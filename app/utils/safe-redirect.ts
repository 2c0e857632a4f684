/**
 * Where to send a reader after sign-in, the language switch or any other form that carries a
 * `redirectTo`: only a path on this site. The value is judged in every form a browser might
 * read it in (WHATWG URL Standard, "basic URL parser"): ASCII tab and newline removed, leading
 * and trailing C0 controls and spaces stripped, a backslash read as a slash in http(s) URLs,
 * "." and ".." segments (also as %2e) resolved. We also judge it percent-decoded (twice, for
 * values decoded once by a framework and again by a browser or proxy) and in Unicode NFKC form
 * (a full-width solidus U+FF0F becomes "/" there). If any of those forms leaves the site, or
 * names a scheme, or contains a control character, the answer is the fallback. The value
 * returned is re-serialised from the parsed URL, so what we send is what we checked.
 *
 * OWASP Unvalidated Redirects and Forwards Cheat Sheet; CWE-601.
 */

/** Longer values are refused outright (no real path on this site is near this long). */
export const MAX_REDIRECT_LENGTH = 2048;

const BASE = "http://redirect.invalid";

/** C0 controls, space-less DEL and C1 controls, plus tab/newline (which browsers drop silently). */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/** Unicode that can render as or normalise towards a slash or a dot-dot, or reorders text. */
const SUSPICIOUS = /[\u2028\u2029\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

/** A path that is safe to put in a Location header: one leading slash, then not a slash or backslash. */
function isSameSitePath(value: string): boolean {
  if (!value.startsWith("/")) return false;
  if (value.length > 1 && (value[1] === "/" || value[1] === "\\")) return false;
  if (CONTROL.test(value) || SUSPICIOUS.test(value)) return false;
  const path = value.split(/[?#]/, 1)[0];
  return !path.includes("\\");
}

/** Every form of `value` a browser, a proxy or a double decoder might act on. */
function readings(value: string): string[] | null {
  const forms = [value];
  let current = value;
  for (let i = 0; i < 2; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return null; // Malformed percent-encoding: no browser-agnostic reading exists.
    }
    if (decoded === current) break;
    forms.push(decoded);
    current = decoded;
  }
  for (const form of [...forms]) {
    const nfkc = form.normalize("NFKC");
    if (nfkc !== form) forms.push(nfkc);
  }
  return forms;
}

/** The path a browser would navigate to for `form`, or null when it leaves the site. */
function resolved(form: string): string | null {
  let url: URL;
  try {
    url = new URL(form, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  return url.pathname + url.search + url.hash;
}

/**
 * @param to the submitted value (a form field, a query parameter); anything but a string is refused
 * @param fallback where to go instead (default "/")
 * @returns a same-site path such as `/threads/abc?after=3#post-4`, or `fallback`
 */
export function safeRedirectPath(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > MAX_REDIRECT_LENGTH) return fallback;
  const forms = readings(to);
  if (!forms) return fallback;
  for (const form of forms) {
    if (!isSameSitePath(form)) return fallback;
    const path = resolved(form);
    // "/.//evil" resolves to "//evil": the resolved path must pass too.
    if (path === null || !isSameSitePath(path)) return fallback;
  }
  const path = resolved(to);
  return path !== null && isSameSitePath(path) ? path : fallback;
}
