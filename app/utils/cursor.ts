/**
 * Keyset-pagination cursors over (timestamp, id), newest first: `<ISO time>_<id>`. A cursor that
 * does not parse is treated as "first page" rather than an error (it comes from a URL).
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
