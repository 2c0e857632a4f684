/**
 * HTTP against a running server, the way a browser without JavaScript talks to it: document
 * GETs and url-encoded form POSTs carrying the site's own `Origin`, redirects not followed.
 */
export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The Location header, if any. */
  location: string | null;
  /** Every Set-Cookie header. */
  setCookies: string[];
  body: string;
}

export interface RequestOptions {
  /** A Cookie header value, e.g. `crn_session=…`. */
  cookie?: string;
  /** Defaults to the server's own origin; `null` sends no Origin header. */
  origin?: string | null;
  headers?: Record<string, string>;
}

export async function request(
  baseUrl: string,
  path: string,
  init: RequestOptions & { method?: string; form?: Record<string, string> } = {},
): Promise<HttpResponse> {
  const method = init.method ?? (init.form ? "POST" : "GET");
  const headers: Record<string, string> = { "accept-language": "en", ...init.headers };
  if (init.cookie) headers.cookie = init.cookie;
  const origin = init.origin === undefined ? (method === "GET" || method === "HEAD" ? null : new URL(baseUrl).origin) : init.origin;
  if (origin !== null) headers.origin = origin;
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    body: init.form ? new URLSearchParams(init.form) : undefined,
    redirect: "manual",
  });
  return {
    status: response.status,
    headers: response.headers,
    location: response.headers.get("location"),
    setCookies: response.headers.getSetCookie(),
    body: await response.text(),
  };
}

export const get = (baseUrl: string, path: string, options: RequestOptions = {}) => request(baseUrl, path, { ...options, method: "GET" });

export const postForm = (baseUrl: string, path: string, form: Record<string, string>, options: RequestOptions = {}) =>
  request(baseUrl, path, { ...options, method: "POST", form });

export interface SetCookie {
  name: string;
  value: string;
  /** `name=value` exactly as sent, ready for a Cookie header. */
  pair: string;
  /** Attribute names lower-cased; flags map to `true`. */
  attributes: Record<string, string | true>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair, ...rest] = header.split(";");
  const eq = pair.indexOf("=");
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const [key, ...value] = part.trim().split("=");
    if (key) attributes[key.toLowerCase()] = value.length ? value.join("=") : true;
  }
  return { name: pair.slice(0, eq).trim(), value: decodeURIComponent(pair.slice(eq + 1).trim()), pair: pair.trim(), attributes };
}

/** The response's Set-Cookie for `name`, parsed, or undefined. */
export function findSetCookie(response: HttpResponse, name: string): SetCookie | undefined {
  return response.setCookies.map(parseSetCookie).find((cookie) => cookie.name === name);
}

/**
 * The visible text of an HTML page: tags and React's `<!-- -->` separators removed, common
 * entities decoded, whitespace collapsed, so assertions can look for sentences.
 */
export function pageText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, " ")
    .replace(/<style[\s\S]*?<\/style>/gi, " ")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** The `lng` cookie the language switch sets (`lng=<encoded value>`), from the real /locale form. */
export async function languageCookie(baseUrl: string, locale: "en" | "zh"): Promise<string> {
  const response = await postForm(baseUrl, "/locale", { locale, redirectTo: "/" });
  const cookie = findSetCookie(response, "lng");
  if (response.status !== 302 || !cookie) throw new Error(`the language switch answered ${response.status} without a cookie`);
  return cookie.pair;
}
