/**
 * The policy-note editor's document schema, in one place for everything that reads a note: the
 * browser editor (RichNoteEditor.client.tsx adds Collaboration and carets, which add no schema),
 * comment anchors (note-anchors.ts) and export (app/models/note-export.server.ts).
 * StarterKit with its own undo/redo off: Collaboration brings Yjs's, which undoes only this
 * client's changes.
 */
import { getSchema, type Extensions } from "@tiptap/core";
import type { Schema } from "@tiptap/pm/model";
import StarterKit from "@tiptap/starter-kit";
import { PasteFromOffice } from "./paste-office";

/** The Y.XmlFragment Tiptap's Collaboration extension binds the note to. */
export const NOTE_FIELD = "default";

/** The note editor's schema extensions (and the paste fix for Office lists, which adds no schema). */
export function noteExtensions(): Extensions {
  return [StarterKit.configure({ undoRedo: false }), PasteFromOffice];
}

let schema: Schema | null = null;
/** The note editor's ProseMirror schema (built once). */
export function noteSchema(): Schema {
  schema ??= getSchema(noteExtensions());
  return schema;
}
