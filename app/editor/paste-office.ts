/**
 * Lists pasted from Microsoft Word and WPS Office. Neither puts `<ul>`/`<ol>` on the clipboard:
 * each list item is a paragraph styled `mso-list:l<list> level<n> lfo<n>` (class
 * `MsoListParagraph…`), with its bullet or number as text in a span marked `mso-list:Ignore`
 * (Word) or as the paragraph's first run (WPS, older Word). ProseMirror would paste them as
 * paragraphs starting with "·" or "1.". This rebuilds real, nested lists before the editor
 * parses the HTML, so they arrive as the editor's bullet and numbered lists. Google Docs already
 * puts real lists on the clipboard and is left alone.
 *
 * The format: Microsoft, "Office HTML and XML Reference" (mso-list); as seen in the clipboard
 * of Word 2016–365 and WPS Office 11/12.
 */
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey } from "@tiptap/pm/state";

const MSO_LIST = /mso-list\s*:\s*(l\d+)\s+level(\d+)/i;
const MSO_IGNORE = /mso-list\s*:\s*ignore/i;
/** A bullet as Word and WPS write them (Symbol, Wingdings and Courier glyphs included). */
const BULLET = /^[\s\u00a0]*([·•▪▫■□●○◆◇➢➤✓✔§Øo\u2022\u25cf\uf0a7\uf0b7\uf0d8\uf076\uf0fc\u006c\u006e\u0071\u0075\u0076\u00a7-])[\s\u00a0]+/;
/** A number or letter as Word and WPS write them: 1. 1) (1) a. iv. 一、 （一） 1.2. */
const NUMBER = /^[\s\u00a0]*(\(?(?:\d+(?:\.\d+)*|[a-zA-Z]|[ivxlcdmIVXLCDM]+|[一二三四五六七八九十百]+)[.)、．）]|[（(][一二三四五六七八九十\d]+[)）])[\s\u00a0]*/;
/** Word's default indent per list level (36pt); WPS uses 21pt for Chinese documents. */
const INDENT_PER_LEVEL_PT = [36, 21];

interface ListItemInfo {
  list: string;
  level: number;
  ordered: boolean;
}

/** True when the clipboard HTML holds Office list paragraphs worth rebuilding. */
export function hasOfficeLists(html: string): boolean {
  return /mso-list|MsoListParagraph/i.test(html);
}

/**
 * Rebuilds Word/WPS list paragraphs in `html` as nested `<ul>`/`<ol>` lists.
 * @param html clipboard `text/html`
 * @param parser a DOMParser (the browser's; tests pass happy-dom's)
 * @returns the HTML with lists rebuilt, or `html` unchanged when it has none
 */
export function rebuildOfficeLists(html: string, parser: DOMParser): string {
  if (!hasOfficeLists(html)) return html;
  const doc = parser.parseFromString(html, "text/html");
  const paragraphs = new Set<Element>([...doc.body.querySelectorAll("p")].filter((p) => listItemInfo(p) !== null));
  if (paragraphs.size === 0) return html;

  const done = new Set<Element>();
  for (const first of paragraphs) {
    if (done.has(first)) continue;
    // A run: this paragraph and the list paragraphs that follow it as siblings.
    const run: Element[] = [first];
    for (let next = nextElement(first); next && paragraphs.has(next); next = nextElement(next)) run.push(next);
    run.forEach((p) => done.add(p));
    buildList(doc, run);
  }
  return doc.body.innerHTML;
}

function nextElement(element: Element): Element | null {
  let node = element.nextSibling;
  // Whitespace and Office's conditional comments between paragraphs do not break a list.
  while (node && (node.nodeType === 8 || (node.nodeType === 3 && !node.textContent?.trim()))) node = node.nextSibling;
  return node && node.nodeType === 1 ? (node as Element) : null;
}

function listItemInfo(p: Element): ListItemInfo | null {
  const style = p.getAttribute("style") ?? "";
  const mso = MSO_LIST.exec(style);
  const isListClass = /MsoListParagraph/i.test(p.getAttribute("class") ?? "");
  if (!mso && !isListClass) return null;
  const marker = markerText(p);
  if (marker === null && !mso) return null;
  return {
    list: mso?.[1] ?? "l0",
    level: mso ? Math.max(1, Math.min(9, Number(mso[2]))) : levelFromIndent(style),
    ordered: marker !== null && NUMBER.test(`${marker} `) && !BULLET.test(`${marker} `),
  };
}

/** The item's bullet or number as text, or null when the paragraph shows none. */
function markerText(p: Element): string | null {
  const ignored = [...p.querySelectorAll("span")].find((span) => MSO_IGNORE.test(span.getAttribute("style") ?? ""));
  if (ignored) return (ignored.textContent ?? "").replace(/[\s\u00a0]+/g, " ").trim();
  const text = p.textContent ?? "";
  const match = NUMBER.exec(text) ?? BULLET.exec(text);
  return match ? match[1]! : null;
}

function levelFromIndent(style: string): number {
  const margin = /margin-left\s*:\s*([\d.]+)pt/i.exec(style);
  if (!margin) return 1;
  const pt = Number(margin[1]);
  const per = pt % INDENT_PER_LEVEL_PT[1] === 0 && pt % INDENT_PER_LEVEL_PT[0] !== 0 ? INDENT_PER_LEVEL_PT[1] : INDENT_PER_LEVEL_PT[0];
  return Math.max(1, Math.min(9, Math.round(pt / per)));
}

/** Removes the marker: Word's `mso-list:Ignore` span, or the leading bullet/number text (WPS). */
function stripMarker(p: Element): void {
  const ignored = [...p.querySelectorAll("span")].filter((span) => MSO_IGNORE.test(span.getAttribute("style") ?? ""));
  ignored.forEach((span) => span.remove());
  const pattern = ignored.length ? /^[\s\u00a0]+/ : null;
  // The leading text nodes, up to the first that is not blank.
  const walker = p.ownerDocument.createTreeWalker(p, 4 /* NodeFilter.SHOW_TEXT */);
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push(node as Text);
    if ((node.textContent ?? "").trim()) break;
  }
  const joined = nodes.map((n) => n.textContent ?? "").join("");
  const match = pattern ? pattern.exec(joined) : NUMBER.exec(joined) ?? BULLET.exec(joined);
  let remove = match ? match[0].length : 0;
  for (const node of nodes) {
    if (remove === 0) break;
    const text = node.textContent ?? "";
    const cut = Math.min(remove, text.length);
    node.textContent = text.slice(cut);
    remove -= cut;
  }
}

function buildList(doc: Document, run: Element[]): void {
  const infos = run.map((p) => listItemInfo(p)!);
  const make = (ordered: boolean) => doc.createElement(ordered ? "ol" : "ul");
  const root = make(infos[0]!.ordered);
  run[0]!.before(root);
  // The open lists, outermost first, each with its level.
  const stack: { level: number; list: Element }[] = [{ level: infos[0]!.level, list: root }];
  run.forEach((p, i) => {
    const info = infos[i]!;
    // Back out of deeper lists to this item's level.
    while (stack.length > 1 && info.level < stack[stack.length - 1]!.level) stack.pop();
    let top = stack[stack.length - 1]!;
    if (info.level > top.level) {
      const parentItem = top.list.lastElementChild ?? top.list.appendChild(doc.createElement("li"));
      const nested = make(info.ordered);
      parentItem.appendChild(nested);
      top = { level: info.level, list: nested };
      stack.push(top);
    }
    stripMarker(p);
    const li = doc.createElement("li");
    const paragraph = doc.createElement("p");
    while (p.firstChild) paragraph.appendChild(p.firstChild);
    li.appendChild(paragraph);
    top.list.appendChild(li);
    p.remove();
  });
}

/**
 * The editors' paste hook: rebuilds Office lists in pasted HTML (browser only; the server never
 * sees clipboard HTML). Adds no schema, so the server's extension lists may include it.
 */
export const PasteFromOffice = Extension.create({
  name: "pasteFromOffice",
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey("pasteFromOffice"),
        props: {
          transformPastedHTML: (html) => (typeof DOMParser === "undefined" ? html : rebuildOfficeLists(html, new DOMParser())),
        },
      }),
    ];
  },
});
