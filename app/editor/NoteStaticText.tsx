/**
 * The note page's read-only text before the co-editing editor has loaded, and without
 * JavaScript: the note as stored, rendered on the server (escaped HTML of the note schema, see
 * noteBodyHtml), under a line saying why it cannot be edited yet.
 */
export function NoteStaticText({ html, note }: { html?: string; note: string }) {
  return (
    <div className="note-editor stack" data-testid="note-editor-loading">
      <p className="muted small">{note}</p>
      {html ? <div className="note-editor-content rich note-static" data-testid="note-static" dangerouslySetInnerHTML={{ __html: html }} /> : null}
    </div>
  );
}
