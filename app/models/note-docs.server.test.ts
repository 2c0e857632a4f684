import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { missingDependencies } from "./note-docs.server";

const vector = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));

describe("missingDependencies", () => {
  it("accepts an update that continues what is stored, and one the store already has", () => {
    const doc = new Y.Doc();
    doc.getText("t").insert(0, "one");
    const stored = vector(doc);
    const before = Y.encodeStateVector(doc);
    doc.getText("t").insert(3, " two");
    expect(missingDependencies(stored, Y.encodeStateAsUpdate(doc, before))).toBe(false);
    expect(missingDependencies(vector(doc), Y.encodeStateAsUpdate(doc))).toBe(false);
  });

  it("refuses an update after a gap in its own client's clock", () => {
    const doc = new Y.Doc();
    const empty = vector(doc);
    doc.getText("t").insert(0, "one");
    const middle = Y.encodeStateVector(doc);
    doc.getText("t").insert(3, " two");
    expect(missingDependencies(empty, Y.encodeStateAsUpdate(doc, middle))).toBe(true);
  });

  it("refuses an item whose origin is another client's change the store lacks", () => {
    const a = new Y.Doc();
    a.getText("t").insert(0, "from a");
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const seen = Y.encodeStateVector(b);
    b.getText("t").insert(6, " and b");
    // The store has nothing of a: b's insertion after a's text cannot be placed.
    expect(missingDependencies(new Map(), Y.encodeStateAsUpdate(b, seen))).toBe(true);
    expect(missingDependencies(vector(a), Y.encodeStateAsUpdate(b, seen))).toBe(false);
  });

  it("refuses a deletion of a range the store does not have", () => {
    const a = new Y.Doc();
    a.getText("t").insert(0, "abc");
    const stored = vector(a);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    b.getText("t").insert(3, "def");
    const withDef = Y.encodeStateVector(b);
    b.getText("t").delete(3, 3);
    // Deletes "def", which the store never got (only b's delete set is new).
    expect(missingDependencies(stored, Y.encodeStateAsUpdate(b, withDef))).toBe(true);
  });
});
