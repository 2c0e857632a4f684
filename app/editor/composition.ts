/**
 * Input methods (IME: pinyin, zhuyin, kana, hangul) in the editors: while a member composes, the
 * editor's document holds the uncommitted composition, which must not be sent to co-editors,
 * stored, or kept as a draft (issue #11, item 4). The `Composition` extension reports when a
 * composition starts and when it is over *and* ProseMirror holds the committed text:
 * ProseMirror reads what the composition left in the DOM after `compositionend` (in a
 * microtask, and again when its 20 ms compose-end timer runs), so the end is reported after
 * that timer, once the view no longer composes.
 */
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import type { EditorView } from "@tiptap/pm/view";

/** Longer than ProseMirror's compose-end timer (20 ms, prosemirror-view's `scheduleComposeEnd`). */
const SETTLE_MS = 30;

export interface CompositionOptions {
  /** A composition began: hold back what the document shows of it. */
  onStart: () => void;
  /** It is over and the document holds the committed text. */
  onEnd: () => void;
}

/** Tracks one view's compositions; `settled` runs `onEnd` once ProseMirror is done with one. */
function tracker(options: CompositionOptions) {
  let composing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settle = (view: EditorView) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!composing) return;
      if (view.composing) return settle(view);
      composing = false;
      options.onEnd();
    }, SETTLE_MS);
  };
  return {
    start() {
      clearTimeout(timer);
      if (!composing) {
        composing = true;
        options.onStart();
      }
    },
    end: settle,
    /** Leaving the editor ends any composition the browser forgot to end. */
    blur(view: EditorView) {
      if (composing) settle(view);
    },
    destroy() {
      clearTimeout(timer);
      if (composing) {
        composing = false;
        options.onEnd();
      }
    },
  };
}

/** Reports IME compositions in the editor: `onStart` when one begins, `onEnd` once it is committed (see above). */
export const Composition = Extension.create<CompositionOptions>({
  name: "imeComposition",
  addOptions() {
    return { onStart: () => {}, onEnd: () => {} };
  },
  addProseMirrorPlugins() {
    const track = tracker(this.options);
    return [
      new Plugin({
        key: new PluginKey("imeComposition"),
        props: {
          handleDOMEvents: {
            compositionstart: () => (track.start(), false),
            compositionend: (view) => (track.end(view), false),
            blur: (view) => (track.blur(view), false),
          },
        },
        view: () => ({ destroy: () => track.destroy() }),
      }),
    ];
  },
});
