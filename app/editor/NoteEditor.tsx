/**
 * The policy-note editor, loaded on demand: the Tiptap + Yjs bundle is large, so only the note
 * page downloads it, after hydration. Without JavaScript the page says the editor needs it.
 */
import { useEffect, useState, type ComponentType } from "react";
import { useTranslation } from "react-i18next";
import { onDemand } from "./lazy";
import type { RichNoteEditorProps } from "./RichNoteEditor.client";

const loadRichEditor = onDemand(() => import("./RichNoteEditor.client").then((module) => module.RichNoteEditor));

export function NoteEditor(props: RichNoteEditorProps) {
  const { t } = useTranslation();
  const [Rich, setRich] = useState<ComponentType<RichNoteEditorProps> | null>(null);
  useEffect(() => {
    let live = true;
    loadRichEditor()
      .then((component) => live && setRich(() => component))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  if (!Rich) return <p className="muted" data-testid="note-editor-loading">{t("notes.loadingEditor")}</p>;
  return <Rich {...props} />;
}
