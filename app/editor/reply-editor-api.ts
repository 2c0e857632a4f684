/** The contract between a reply editor (plain or rich) and the page that holds it. */
import type { JSONContent } from "@tiptap/core";

/** What the page can do with the editor (quote buttons, clearing after a successful post). */
export interface ReplyEditorApi {
  /** Appends a quote (a `blockquote` node from quoteDoc, or a whole doc) and puts the cursor after it. */
  insertQuote(doc: JSONContent): void;
  /** Empties the editor (and its hidden field). */
  clear(): void;
  focus(): void;
  /** True when there is no text (whitespace aside) and no mention. */
  isEmpty(): boolean;
}
