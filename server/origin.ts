/**
 * Origin checks for every non-GET request and every Socket.IO handshake (CSRF defence, as in
 * Lucia's guide): the `Origin` header must be one of `ALLOWED_ORIGINS` (comma-separated) when
 * that is set, otherwise the site's own origin (`<scheme>://<Host>`).
 */
export function parseAllowedOrigins(value: string | undefined): string[] | null {
  if (!value) return null;
  const list = value
    .split(",")
    .map((s) => s.trim().replace(/\/$/, ""))
    .filter(Boolean);
  return list.length ? list : null;
}

/**
 * @param origin the request's Origin header (absent → refused)
 * @param host the request's Host header
 * @param secure whether the request came over HTTPS
 */
export function isAllowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  secure: boolean,
  allowed: string[] | null,
): boolean {
  if (!origin || origin === "null") return false;
  if (allowed) return allowed.includes(origin);
  if (!host) return false;
  return origin === `${secure ? "https" : "http"}://${host}`;
}
