/**
 * Keyset-pagination cursors: over (timestamp, id), newest first, as `<ISO time>_<id>`; and over
 * (name, id), alphabetical, opaque. A cursor that does not parse is treated as "first page"
 * rather than an error (it comes from a URL).
 */
export interface TimeCursor {
  at: Date;
  id: string;
}

export function encodeTimeCursor(at: Date, id: string): string {
  return `${at.toISOString()}_${id}`;
}

export function decodeTimeCursor(cursor: string | null | undefined): TimeCursor | null {
  if (!cursor) return null;
  const [iso, id] = cursor.split("_");
  const at = new Date(iso);
  return id && !Number.isNaN(at.getTime()) ? { at, id } : null;
}

/** The keyset position after a row in a list by name: its name and id, opaque to the client. */
export interface NameCursor {
  displayName: string;
  id: string;
}

export function encodeNameCursor(row: NameCursor): string {
  return Buffer.from(JSON.stringify([row.displayName, row.id])).toString("base64url");
}

export function decodeNameCursor(cursor: string | null | undefined): NameCursor | null {
  if (!cursor) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === "string")) return { displayName: value[0], id: value[1] };
  } catch {
    // A damaged cursor starts from the first page.
  }
  return null;
}
