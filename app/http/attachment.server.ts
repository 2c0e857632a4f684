/**
 * Files a member downloads (note exports, their data): the attachment headers, written once.
 */

/**
 * `Content-Disposition: attachment` for a file name in any script, as RFC 6266 §4.3 advises:
 * `filename="<ASCII fallback>"` for old clients and `filename*=UTF-8''<percent-encoded>` (the
 * RFC 8187, formerly RFC 5987, ext-value) which every current browser prefers. The encoding
 * leaves only RFC 8187 attr-chars unescaped (encodeURIComponent also leaves ' ( ) * and !, of
 * which ' ( ) * are not attr-chars). `fallbackStem` names the ASCII fallback when nothing of the
 * name is ASCII.
 */
export function contentDisposition(filename: string, fallbackStem = "download"): string {
  const dot = filename.lastIndexOf(".");
  const ext = dot > 0 ? filename.slice(dot) : "";
  const asciiStem = (dot > 0 ? filename.slice(0, dot) : filename).replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "");
  const fallback = `${asciiStem || fallbackStem}${ext.replace(/[^A-Za-z0-9.]/g, "")}`;
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * A download: `body` sent as an attachment named `filename`, never cached (it is private).
 * @param headers more headers (e.g. Content-Language)
 */
export function attachmentResponse(
  body: BodyInit,
  filename: string,
  contentType: string,
  options: { fallbackStem?: string; headers?: Record<string, string> } = {},
): Response {
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": contentDisposition(filename, options.fallbackStem),
      "Cache-Control": "private, no-store",
      ...options.headers,
    },
  });
}
