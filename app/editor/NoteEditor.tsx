/**
 * The policy-note editor, loaded on demand: the Tiptap + Yjs bundle is large, so only the note
 * page downloads it, after hydration. Until then, and without JavaScript, the note's text as the
 * server last stored it (`initialHtml`, rendered on the server) is shown, read-only.
 */
import { useEffect, useState, type ComponentType } from "react";
import { useTranslation } from "react-i18next";
import { onDemand } from "./lazy";
import { NoteStaticText } from "./NoteStaticText";
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
  if (!Rich) return <NoteStaticText html={props.initialHtml} note={t("notes.loadingEditor")} />;
  return <Rich {...props} />;
}
