/**
 * Renders a version of a note's document as HTML with the changes since the previous version
 * marked and attributed (app/models/note-history.server.ts, docs/decisions/010-note-history.md).
 * Pure: the caller gives the note's fragment, from a `Y.Doc({ gc: false })` holding every stored update,
 * the two snapshots and who wrote and deleted what.
 *
 * Safety: every string from the document is escaped; only the note editor's StarterKit node and
 * mark types become tags (anything else renders its content); links keep only http(s) and
 * mailto addresses; heading levels and list starts are numbers; colours come from our palette.
 */
import * as Y from "yjs";

/** A member as history shows them: name and their colour in the editor. */
export interface HistoryPerson {
  id: string;
  name: string;
  colour: string;
}

/** Who wrote (Yjs client id → user id) and who deleted (per client: ranges with their deleter). */
export interface Attribution {
  userOfClient: Map<number, string>;
  deletions: Map<number, { clock: number; len: number; userId: string | null }[]>;
}

/** The member who first deleted the item at `id`, or null if unknown. */
export function deleterOf(attribution: Attribution, id: Y.ID): string | null {
  for (const range of attribution.deletions.get(id.client) ?? []) {
    if (id.clock >= range.clock && id.clock < range.clock + range.len) return range.userId;
  }
  return null;
}

type Change = { type: "added" | "removed"; userId: string | null };

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

const BLOCKS: Record<string, (attrs: Record<string, unknown>) => { open: string; close: string } | null> = {
  paragraph: () => ({ open: "<p", close: "</p>" }),
  heading: (a) => {
    const level = Math.min(6, Math.max(1, Number(a.level) || 1));
    return { open: `<h${level}`, close: `</h${level}>` };
  },
  blockquote: () => ({ open: "<blockquote", close: "</blockquote>" }),
  bulletList: () => ({ open: "<ul", close: "</ul>" }),
  orderedList: (a) => {
    const start = Number(a.start);
    return { open: Number.isInteger(start) && start !== 1 ? `<ol start="${start}"` : "<ol", close: "</ol>" };
  },
  listItem: () => ({ open: "<li", close: "</li>" }),
  codeBlock: () => ({ open: "<pre", close: "</pre>" }),
};
const VOIDS: Record<string, string> = { horizontalRule: "<hr", hardBreak: "<br" };

const MARKS: Record<string, (attrs: Record<string, unknown>) => [string, string] | null> = {
  bold: () => ["<strong>", "</strong>"],
  italic: () => ["<em>", "</em>"],
  strike: () => ["<s>", "</s>"],
  underline: () => ["<u>", "</u>"],
  code: () => ["<code>", "</code>"],
  link: (a) => {
    const href = typeof a.href === "string" && /^(https?:|mailto:)/i.test(a.href) ? a.href : null;
    return href ? [`<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">`, "</a>"] : null;
  },
};

function changeAttributes(change: Change, who: Map<string, HistoryPerson>): string {
  const person = change.userId ? who.get(change.userId) : undefined;
  const name = person?.name ?? "?";
  return (
    ` class="change change-${change.type}" data-change="${change.type}" data-user="${escapeHtml(name)}"` +
    (person ? ` data-user-id="${escapeHtml(person.id)}"` : "") +
    ` title="${escapeHtml(name)}" style="--change-colour: ${person?.colour ?? "#666"}"`
  );
}

/**
 * The version `snap` of `doc` as HTML: text inserted since `prev` in `<ins>`, text deleted since
 * in `<del>`, whole blocks added or removed with `data-change`; each change carries its member
 * (`data-user`, `data-user-id`, `title`, `--change-colour`) from `attribution` and `who`.
 * Content both added and removed between the two versions is left out (net changes).
 */
export function renderVersion(fragment: Y.XmlFragment, snap: Y.Snapshot, prev: Y.Snapshot, attribution: Attribution, who: Map<string, HistoryPerson>): string {
  // Items in the version, plus items the previous version had that it removed (y-prosemirror).
  const union = new Y.Snapshot(prev.ds, snap.sv);
  const visible = (item: Y.Item, s: Y.Snapshot) => (s.sv.get(item.id.client) ?? 0) > item.id.clock && !Y.isDeleted(s.ds, item.id);
  const change = (type: "added" | "removed", id: Y.ID): Change => ({
    type,
    userId: type === "added" ? (attribution.userOfClient.get(id.client) ?? null) : deleterOf(attribution, id),
  });

  // Net changes, as for text (XmlText.toDelta): an element both added and removed between the
  // two versions is left out.
  const children = (parent: Y.XmlFragment | Y.XmlElement): string =>
    (Y.typeListToArraySnapshot(parent, union) as unknown[])
      .filter((child) => !(child instanceof Y.AbstractType) || !child._item || visible(child._item, snap) || visible(child._item, prev))
      .map((child) => (child instanceof Y.XmlElement ? element(child) : child instanceof Y.XmlText ? text(child) : ""))
      .join("");

  const element = (el: Y.XmlElement): string => {
    const item = el._item!;
    const elementChange = !visible(item, snap) ? change("removed", item.id) : !visible(item, prev) ? change("added", item.id) : null;
    // A removed element's attributes are those it had in the previous version.
    const attrs = el.getAttributes(elementChange?.type === "removed" ? prev : snap) as Record<string, unknown>;
    const extra = elementChange ? changeAttributes(elementChange, who) : "";
    const voidTag = VOIDS[el.nodeName];
    if (voidTag) return `${voidTag}${extra}>`;
    const block = BLOCKS[el.nodeName]?.(attrs) ?? null;
    const inner = children(el);
    if (!block) return elementChange ? `<div${extra}>${inner}</div>` : inner;
    if (el.nodeName === "codeBlock") return `${block.open}${extra}><code>${inner}</code>${block.close}`;
    return `${block.open}${extra}>${inner}${block.close}`;
  };

  const text = (t: Y.XmlText): string => {
    const ops = t.toDelta(snap, prev, change) as { insert: unknown; attributes?: Record<string, unknown> }[];
    // toDelta packs one op per changed item: merge neighbours with the same marks and change.
    const merged: { insert: string; attributes: Record<string, unknown> }[] = [];
    for (const op of ops) {
      if (typeof op.insert !== "string") continue;
      const last = merged[merged.length - 1];
      const attributes = op.attributes ?? {};
      if (last && JSON.stringify(last.attributes) === JSON.stringify(attributes)) last.insert += op.insert;
      else merged.push({ insert: op.insert, attributes });
    }
    return merged
      .map(({ insert, attributes }) => {
        let html = escapeHtml(insert);
        for (const [key, value] of Object.entries(attributes)) {
          if (key === "ychange") continue;
          const mark = MARKS[key.split("--")[0]!]?.((value ?? {}) as Record<string, unknown>);
          if (mark) html = mark[0] + html + mark[1];
        }
        const c = attributes.ychange as Change | undefined;
        if (c) html = `<${c.type === "added" ? "ins" : "del"}${changeAttributes(c, who)}>${html}</${c.type === "added" ? "ins" : "del"}>`;
        return html;
      })
      .join("");
  };

  return children(fragment);
}
