/**
 * The rules reply content follows (allowed link schemes, heading levels, member ids), in a
 * module with no Tiptap import so that light browser code can use them too.
 */

/** URL schemes a link may use (as `URL.protocol` spells them). */
export const LINK_PROTOCOLS: readonly string[] = ["http:", "https:", "mailto:"];
/** `rel` on every link in a reply (user-generated content, not endorsed, no opener access). */
export const LINK_REL = "nofollow noopener ugc";
/** Heading levels a reply may use (the page owns h1; replies start at h2). */
export const HEADING_LEVELS = [2, 3, 4] as const;
export type HeadingLevel = (typeof HEADING_LEVELS)[number];
/** Longest href accepted. */
export const MAX_HREF_LENGTH = 2048;
/** A member id as the app issues them (cuid2 / uuid): used in mention nodes and `/members/<id>`. */
export const MEMBER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A member offered by the @mention autocomplete (`GET /api/members/search?q=`). */
export interface MemberSuggestion {
  id: string;
  label: string;
  region?: string;
}

// Browsers drop ASCII tab/newline inside URLs and trim C0 controls and spaces at the ends, so
// "java\tscript:" is "javascript:": judge the URL the way a browser will read it.
const IGNORED_IN_URL = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000\ufeff]/g;

/**
 * Strict check used by the server: an absolute URL whose scheme is http, https or mailto.
 * Relative URLs, protocol-relative URLs and every other scheme are refused.
 */
export function isAllowedHref(href: unknown): href is string {
  if (typeof href !== "string" || href.length === 0 || href.length > MAX_HREF_LENGTH) return false;
  if (href !== href.trim() || /[\u0000-\u001f\u007f]/.test(href)) return false;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  if (!LINK_PROTOCOLS.includes(url.protocol)) return false;
  if (url.protocol !== "mailto:" && !url.hostname) return false;
  return true;
}

/**
 * Lenient check used inside the editor: also lets through scheme-less values such as
 * "example.com" or "name@example.org", which the Link extension's autolinker turns into
 * https:// / mailto: URLs. Anything with another scheme ("javascript:", "data:", …) is refused.
 * The browser component drops any link that fails `isAllowedHref` before it posts.
 */
export function isAllowedEditorUri(uri: string | undefined): boolean {
  if (!uri) return false;
  const compact = uri.replace(IGNORED_IN_URL, "");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact);
  if (scheme) return LINK_PROTOCOLS.includes(`${scheme[1]!.toLowerCase()}:`);
  // No scheme: a bare host or email; never a path, a fragment, a query or "//host".
  return /^[^/\\.#?:@][^\s]*$/.test(compact);
}
