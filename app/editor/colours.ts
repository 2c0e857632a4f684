/** Member colours, shared by the editor (carets, people) and the version history (who changed what). */
const COLOURS = ["#b4432f", "#2f6fb4", "#2f8f4e", "#8a4fb4", "#b4802f", "#2f9fa8", "#b42f7a", "#5b6b2f"];

/**
 * The colour of the n-th person in a note (0-based; the server numbers a note's members by when
 * they joined it): the palette first, then hues spread by the golden angle, so within one note
 * no two people share a colour however many there are.
 */
export function colourAt(index: number): string {
  if (index >= 0 && index < COLOURS.length) return COLOURS[index]!;
  const hue = Math.round((index * 137.508) % 360);
  return `hsl(${hue} 55% 38%)`;
}

/** A stable colour per member, where no note orders them (a thread's viewers). */
export function colourFor(id: string): string {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return COLOURS[hash % COLOURS.length]!;
}
