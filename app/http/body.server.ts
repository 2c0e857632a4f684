/**
 * Reading request bodies the way the JSON API needs: bounded in size (a client cannot make the
 * server buffer an unbounded body) and strictly UTF-8 (invalid byte sequences are refused, not
 * silently turned into U+FFFD and stored: RFC 8259 §8.1 requires JSON to be UTF-8).
 */
import { AppError } from "~/utils/errors";

/** The largest command body accepted (a case study's 600 kB JSON fits with room to spare). */
export const MAX_COMMAND_BODY_BYTES = 2 * 1024 * 1024;
/**
 * How much of a too-large body is still read (and dropped) before answering 413, so that a
 * client still sending gets the answer instead of a reset connection; beyond it, reading stops.
 */
const DRAIN_BYTES = 16 * 1024 * 1024;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * The body as text.
 * @throws AppError body_too_large (413) past `maxBytes`, body_malformed (400) for invalid UTF-8
 */
export async function readBodyText(request: Request, maxBytes = MAX_COMMAND_BODY_BYTES): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > DRAIN_BYTES) {
      await reader.cancel().catch(() => {});
      throw new AppError("body_too_large");
    }
    // Past the limit the rest is read and dropped (see DRAIN_BYTES), never kept.
    if (size <= maxBytes) chunks.push(value);
  }
  if (size > maxBytes) throw new AppError("body_too_large");
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new AppError("body_malformed", "The body is not valid UTF-8");
  }
}

/**
 * The body parsed as JSON.
 * @throws AppError body_too_large | body_malformed (not UTF-8, not JSON, or nested too deeply to parse)
 */
export async function readJsonBody(request: Request, maxBytes = MAX_COMMAND_BODY_BYTES): Promise<unknown> {
  const text = await readBodyText(request, maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    // SyntaxError, or RangeError for nesting deeper than the parser's stack.
    throw new AppError("body_malformed", "The body is not JSON");
  }
}
