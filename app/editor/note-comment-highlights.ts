/**
 * Highlights the ranges of a note's comment threads in the editor (browser only), as a
 * ProseMirror decoration plugin. Each thread's range is kept as two Yjs relative positions
 * (app/editor/note-anchors.ts):
 *
 * - when the threads change, and after every remote change (y-tiptap's sync plugin rebuilds its
 *   Y↔ProseMirror mapping, then dispatches with `isChangeOrigin`), ranges are resolved again
 *   from the relative positions, so highlights follow concurrent edits exactly;
 * - after a local edit they are mapped through the transaction (the binding has not written the
 *   edit to Yjs yet, so its mapping would be stale); the next remote change re-resolves them.
 *
 * A thread whose text was removed resolves to nothing and has no highlight. Clicking a highlight
 * calls `onActivate(threadId)`; the active thread's highlight is drawn stronger.
 */
import { Extension } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { resolveAnchorRange, type ProsemirrorMapping } from "./note-anchors";

/** A thread to highlight: its id and decoded anchors. Resolved threads are left out by the caller. */
export interface HighlightThread {
  id: string;
  start: Y.RelativePosition;
  end: Y.RelativePosition;
}

export type HighlightRanges = ReadonlyMap<string, { from: number; to: number }>;

interface HighlightState {
  threads: HighlightThread[];
  activeId: string | null;
  ranges: HighlightRanges;
  decorations: DecorationSet;
}

/** Meta to set the threads and/or the active thread. */
export interface HighlightMeta {
  threads?: HighlightThread[];
  activeId?: string | null;
}

export const noteCommentHighlightsKey = new PluginKey<HighlightState>("noteCommentHighlights");

/** Where each thread's range is now (threads whose text was removed are absent). */
export function highlightRanges(state: EditorState): HighlightRanges {
  return noteCommentHighlightsKey.getState(state)?.ranges ?? new Map();
}

function resolveAll(state: EditorState, threads: HighlightThread[]): Map<string, { from: number; to: number }> {
  const ranges = new Map<string, { from: number; to: number }>();
  const sync = ySyncPluginKey.getState(state) as { type?: Y.XmlFragment; binding?: { mapping: ProsemirrorMapping } | null } | undefined;
  if (!sync?.type?.doc || !sync.binding) return ranges;
  const size = state.doc.content.size;
  for (const thread of threads) {
    try {
      const range = resolveAnchorRange(sync.type.doc, sync.type, sync.binding.mapping, thread.start, thread.end);
      if (range && range.to <= size) ranges.set(thread.id, range);
    } catch {
      // An anchor into content this copy has not received yet: no highlight until it arrives.
    }
  }
  return ranges;
}

function decorate(doc: PMNode, ranges: HighlightRanges, activeId: string | null): DecorationSet {
  const decorations: Decoration[] = [];
  for (const [id, { from, to }] of ranges) {
    const active = id === activeId;
    decorations.push(
      Decoration.inline(
        from,
        to,
        { class: active ? "note-comment-mark is-active" : "note-comment-mark", "data-comment-thread": id },
        { threadId: id, inclusiveStart: false, inclusiveEnd: false },
      ),
    );
  }
  return DecorationSet.create(doc, decorations);
}

export interface NoteCommentHighlightsOptions {
  /** Called with a thread's id when its highlight is clicked. */
  onActivate: (threadId: string) => void;
}

export const NoteCommentHighlights = Extension.create<NoteCommentHighlightsOptions>({
  name: "noteCommentHighlights",

  addOptions() {
    return { onActivate: () => {} };
  },

  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin<HighlightState>({
        key: noteCommentHighlightsKey,
        state: {
          init: (_, state) => ({ threads: [], activeId: null, ranges: new Map(), decorations: DecorationSet.create(state.doc, []) }),
          apply(tr, value, _old, state) {
            const meta = tr.getMeta(noteCommentHighlightsKey) as HighlightMeta | undefined;
            const remote = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true;
            const threads = meta?.threads ?? value.threads;
            const activeId = meta && "activeId" in meta ? (meta.activeId ?? null) : value.activeId;
            if (meta?.threads || remote) {
              const ranges = resolveAll(state, threads);
              return { threads, activeId, ranges, decorations: decorate(state.doc, ranges, activeId) };
            }
            if (tr.docChanged) {
              const ranges = new Map<string, { from: number; to: number }>();
              for (const [id, range] of value.ranges) {
                const from = tr.mapping.map(range.from, 1);
                const to = tr.mapping.map(range.to, -1);
                if (from < to) ranges.set(id, { from, to });
              }
              return { threads, activeId, ranges, decorations: decorate(state.doc, ranges, activeId) };
            }
            if (activeId !== value.activeId) {
              return { ...value, activeId, decorations: decorate(state.doc, value.ranges, activeId) };
            }
            return value;
          },
        },
        props: {
          decorations: (state) => noteCommentHighlightsKey.getState(state)?.decorations,
          handleClick(view, pos) {
            const found = noteCommentHighlightsKey.getState(view.state)?.decorations.find(pos, pos) ?? [];
            const hit = found.find((d) => typeof (d.spec as { threadId?: string }).threadId === "string");
            if (!hit) return false;
            options.onActivate((hit.spec as { threadId: string }).threadId);
            return false;
          },
        },
      }),
    ];
  },
});
