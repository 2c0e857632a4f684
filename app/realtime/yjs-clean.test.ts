import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { compositionUpdate, encodeStateAsUpdateWithoutDeletedText } from "./yjs-clean";

const has = (update: Uint8Array, text: string) => Buffer.from(update).includes(Buffer.from(text, "utf8"));

/**
 * A member's document as the editor keeps it: an UndoManager tracks local changes (and so keeps
 * deleted items' content), a server replica has what was sent before the composition.
 */
function setUp() {
  const doc = new Y.Doc();
  const text = doc.getText("t");
  new Y.UndoManager(text, { trackedOrigins: new Set([null]) });
  const other = new Y.Doc();
  other.getText("t").insert(0, "Hello ");
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
  text.insert(6, "world. ");
  // Someone else deleted something earlier; that is not this member's deletion.
  other.getText("t").delete(0, 1);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
  const server = new Y.Doc();
  Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
  return { doc, text, server };
}

describe("compositionUpdate", () => {
  it("carries the committed text but none of the composition's intermediate letters", () => {
    const { doc, text, server } = setUp();
    const start = Y.getState(doc.store, doc.clientID);
    const at = text.length;
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    // The editor writes each state of the composition, then replaces it with the result.
    for (const state of ["z", "zh", "zhong", "zhongw", "zhongwen"]) {
      text.delete(at, text.length - at);
      text.insert(at, state);
    }
    text.delete(at, text.length - at);
    text.insert(at, "中文");
    // The plain way would leak them.
    expect(updates.some((u) => has(u, "zhong"))).toBe(true);

    const update = compositionUpdate(doc, start, updates);
    expect(has(update, "zhong")).toBe(false);
    expect(has(update, "中文")).toBe(true);
    Y.applyUpdate(server, update);
    expect(server.getText("t").toString()).toBe(text.toString());
    expect(server.store.pendingStructs).toBeNull();
    // Only this composition's deletions: the earlier deletion by someone else is not in it.
    const deleted = Y.decodeUpdate(update).ds.clients;
    expect([...deleted.keys()]).toEqual([doc.clientID]);
  });

  it("encodes a sync step 2 without deleted text", () => {
    const { doc, text } = setUp();
    const empty = new Y.Doc();
    const at = text.length;
    text.insert(at, "secret draft");
    text.delete(at, 12);
    expect(has(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(empty)), "secret")).toBe(true);
    const clean = encodeStateAsUpdateWithoutDeletedText(doc, Y.encodeStateVector(empty));
    expect(has(clean, "secret")).toBe(false);
    Y.applyUpdate(empty, clean);
    expect(empty.getText("t").toString()).toBe(text.toString());
  });
});
