/**
 * The co-editing editor (browser only, loaded lazily by NoteEditor): Tiptap with Collaboration
 * (the note's Y.Doc, field "default") and CollaborationCaret (others' named, coloured carets and
 * selections), bound to the note by NoteProvider over the tab's one socket. StarterKit's own
 * undo is off: Collaboration's undo is Yjs's, which undoes only this client's changes.
 * Readers (viewers, commenters) get a read-only editor. Comments anchored to ranges of the text
 * sit beside it (app/components/note-comments.tsx), their ranges highlighted in the text.
 */
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import * as Y from "yjs";
import { NoteComments } from "~/components/note-comments";
import { NOTE_FIELD, noteExtensions } from "./note-schema";
import { NoteCommentHighlights } from "./note-comment-highlights";
import { NoteProvider, type NoteProviderState } from "~/realtime/note-provider";
import { getSocket } from "~/realtime/socket.client";
import { colourFor } from "./colours";
import { NoteStaticText } from "./NoteStaticText";
import { Composition } from "./composition";
import { useRevalidator } from "@remix-run/react";

export interface RichNoteEditorProps {
  noteId: string;
  user: { id: string; name: string };
  /** The note's text as the server rendered it, shown until the note has loaded. */
  initialHtml?: string;
}

/** A stable colour per member (shared with version history, which the server renders). */
export { colourFor } from "./colours";

interface Person {
  clientId: number;
  name: string;
  color: string;
  role: string | null;
  staff: string | null;
}

export function RichNoteEditor({ noteId, user, initialHtml }: RichNoteEditorProps) {
  // Created in an effect (StrictMode runs effects twice in development: each run gets its own).
  const [session, setSession] = useState<{ doc: Y.Doc; provider: NoteProvider } | null>(null);
  useEffect(() => {
    const doc = new Y.Doc();
    const provider = new NoteProvider(getSocket(), noteId, doc);
    setSession({ doc, provider });
    return () => {
      provider.destroy();
      doc.destroy();
    };
  }, [noteId]);
  if (!session) return null;
  return <BoundEditor key={session.doc.guid} doc={session.doc} provider={session.provider} user={user} initialHtml={initialHtml} />;
}

function BoundEditor({ doc, provider, user, initialHtml }: { doc: Y.Doc; provider: NoteProvider; user: RichNoteEditorProps["user"]; initialHtml?: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<NoteProviderState>(provider.state);
  const [people, setPeople] = useState<Person[]>([]);
  const [activeThread, setActiveThread] = useState<string | null>(null);
  // The editor is made once the note has loaded (first sync), editable from the start if the
  // member may edit: a click before then cannot leave the caret in an empty document that the
  // note's content then replaces (putting what is typed next at the top).
  const [loaded, setLoaded] = useState(provider.synced);
  useEffect(() => provider.subscribe(setState), [provider]);
  useEffect(() => {
    let live = true;
    void provider.whenSynced().then(() => live && setLoaded(true));
    return () => {
      live = false;
    };
  }, [provider]);
  const canEdit = state.role === "owner" || state.role === "editor";
  // When the owner changes this member's role, the rest of the page (role, forms, members)
  // follows: the route's loader runs again.
  const revalidator = useRevalidator();
  const seenRole = useRef(state.role);
  useEffect(() => {
    if (seenRole.current !== null && state.role !== seenRole.current) revalidator.revalidate();
    seenRole.current = state.role;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.role]);
  useEffect(() => {
    const update = () =>
      setPeople(
        [...provider.awareness.getStates().entries()]
          .filter(([, s]) => s.user)
          // Others' `user` is what the server says of them (it replaces whatever their client sent).
          .map(([clientId, s]) => ({
            clientId,
            name: String(s.user.name),
            color: String(s.user.color),
            role: typeof s.user.role === "string" ? s.user.role : null,
            staff: typeof s.user.staff === "string" ? s.user.staff : null,
          })),
      );
    provider.awareness.on("change", update);
    update();
    return () => provider.awareness.off("change", update);
  }, [provider]);

  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: loaded && canEdit,
      extensions: [
        ...noteExtensions(),
        Collaboration.configure({ document: doc, field: NOTE_FIELD }),
        // Our own entry, as the server will show it to others (it stamps every awareness state).
        CollaborationCaret.configure({ provider, user: provider.state.me ?? { name: user.name, color: colourFor(user.id) } }),
        NoteCommentHighlights.configure({ onActivate: setActiveThread }),
        // Nothing of an uncommitted IME composition leaves this browser: the provider holds local
        // changes from its start and sends the committed text once it is over.
        Composition.configure({ onStart: () => provider.beginComposition(), onEnd: () => provider.endComposition() }),
      ],
      editorProps: { attributes: { class: "note-editor-content rich", "data-testid": "note-editor", "aria-label": t("notes.editor") } },
    },
    // Made again once, when the note has loaded; role changes after that go through setEditable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [doc, provider, loaded],
  );

  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.setEditable(loaded && canEdit && state.status !== "error");
  }, [editor, loaded, canEdit, state.status]);
  // A new role (or a first join after the editor was made) changes how we appear.
  useEffect(() => {
    if (editor && !editor.isDestroyed && state.me) editor.commands.updateUser(state.me);
  }, [editor, state.me]);

  const statusText =
    state.status === "error"
      ? t(`errors.${state.error ?? "validation"}`, { max: "4 MB" })
      : t(`notes.status.${state.status}`);
  return (
    <div className="note-editor stack">
      <div className="note-editor-bar">
        <span className={`note-status note-status-${state.status}`} data-testid="note-status" data-status={state.status} role="status">
          {statusText}
        </span>
        {!canEdit && state.role ? <span className="muted">{t("notes.readOnly")}</span> : null}
        <ul className="note-people" data-testid="note-people" aria-label={t("notes.here")}>
          {people.map((p) => (
            <li key={p.clientId} style={{ borderColor: p.color }} data-testid="note-person">
              <span className="note-person-dot" style={{ background: p.color }} aria-hidden="true" />
              {p.name}
              {p.role ? <span className="note-person-role"> · {t(`notes.roles.${p.role}`, { defaultValue: p.role })}</span> : null}
              {p.staff ? <span className="note-person-role"> · {t(`roles.${p.staff}`)}</span> : null}
            </li>
          ))}
        </ul>
      </div>
      <div className="note-with-comments">
        {loaded ? <EditorContent editor={editor} /> : <NoteStaticText html={initialHtml} note={t("notes.loadingNote")} />}
        <NoteComments editor={editor} noteId={provider.noteId} provider={provider} activeId={activeThread} onActivate={setActiveThread} />
      </div>
    </div>
  );
}
