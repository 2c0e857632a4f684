import { initProseMirrorDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { anchorsFromRange, decodeAnchor, encodeAnchor, MAX_ANCHOR_BYTES, NOTE_FIELD, noteSchema, resolveAnchorsInDoc } from "./note-anchors";

/** A note like the server's initial state, with one paragraph of text. */
function note(text: string) {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment(NOTE_FIELD).insert(0, [paragraph]);
  return { doc, text: paragraph.get(0) as Y.XmlText };
}

describe("note comment anchors", () => {
  it("decode only well-formed relative positions of at most 256 bytes", () => {
    const { doc } = note("abc");
    const good = encodeAnchor(Y.createRelativePositionFromTypeIndex(doc.getXmlFragment(NOTE_FIELD), 0));
    expect(decodeAnchor(good)).not.toBeNull();
    for (const bad of ["", "not base64", "%%%", Buffer.from([9, 9, 9]).toString("base64"), Buffer.from([2, 3, 97, 98, 99, 0]).toString("base64")]) {
      expect(decodeAnchor(bad), bad).toBeNull();
    }
    expect(decodeAnchor(new Uint8Array(MAX_ANCHOR_BYTES + 1))).toBeNull();
  });

  it("follow the text they were made on through inserts before it, and report its removal", () => {
    const { doc, text } = note("The mine closes in 2030.");
    const { doc: pm, mapping } = initProseMirrorDoc(doc.getXmlFragment(NOTE_FIELD), noteSchema());
    const from = 1 + "The mine ".length;
    const to = from + "closes".length;
    expect(pm.textBetween(from, to)).toBe("closes");
    const anchors = anchorsFromRange(doc.getXmlFragment(NOTE_FIELD), mapping, from, to);
    const pair = { start: anchors.anchorStart, end: anchors.anchorEnd };

    text.insert(0, "Officially, ");
    expect(resolveAnchorsInDoc(doc, [pair])[0]?.text).toBe("closes");
    text.delete(text.toString().indexOf("closes"), "closes".length);
    expect(resolveAnchorsInDoc(doc, [pair])[0]).toBeNull();
  });
});
