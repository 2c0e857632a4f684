/** Member colours, shared by the editor (carets, people) and the version history (who changed what). */
const COLOURS = ["#b4432f", "#2f6fb4", "#2f8f4e", "#8a4fb4", "#b4802f", "#2f9fa8", "#b42f7a", "#5b6b2f"];

/** A stable colour per member. */
export function colourFor(id: string): string {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return COLOURS[hash % COLOURS.length]!;
}
