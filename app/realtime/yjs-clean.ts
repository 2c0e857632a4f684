/**
 * Yjs updates that carry no deleted text (issue #11, item 4: input methods).
 *
 * While a member composes with an IME (pinyin, zhuyin, kana, hangul), the editor writes each
 * intermediate state of the composition into the Y.Doc ("z", "zh", "zho", …) and replaces it
 * with the committed text at the end. Yjs keeps the content of those deleted items in every
 * update made from the document while an UndoManager holds on to them (Tiptap's collaboration
 * undo does), so an update made the plain way would carry the uncommitted letters to the server
 * and to co-editors. These helpers encode from a garbage-collected copy of the document, where
 * deleted items keep their length but not their content. Only content the server never had can
 * be affected (it was never in any stored version), so nothing the history needs is lost.
 */
import * as encoding from "lib0/encoding";
import * as Y from "yjs";

/** A copy of `doc` in which every deleted item's content is gone (gc); the caller destroys it. */
function collectedCopy(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc({ gc: true });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** `Y.encodeStateAsUpdate(doc, targetStateVector)` without the content of deleted items (a sync step 2). */
export function encodeStateAsUpdateWithoutDeletedText(doc: Y.Doc, targetStateVector?: Uint8Array): Uint8Array {
  const copy = collectedCopy(doc);
  try {
    return Y.encodeStateAsUpdate(copy, targetStateVector);
  } finally {
    copy.destroy();
  }
}

type DeleteSet = ReturnType<typeof Y.createDeleteSet>;

/** The structs of `update` with `ds` as its delete set, in Yjs's update format v1 (`writeStructs`, `writeDeleteSet`). */
function withDeleteSet(update: Uint8Array, ds: DeleteSet): Uint8Array {
  const { structs } = Y.decodeUpdate(update);
  const encoder = new Y.UpdateEncoderV1();
  const groups: (typeof structs)[] = [];
  for (const struct of structs) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.id.client === struct.id.client) last.push(struct);
    else groups.push([struct]);
  }
  encoding.writeVarUint(encoder.restEncoder, groups.length);
  for (const group of groups) {
    encoding.writeVarUint(encoder.restEncoder, group.length);
    encoder.writeClient(group[0]!.id.client);
    encoding.writeVarUint(encoder.restEncoder, group[0]!.id.clock);
    for (const struct of group) struct.write(encoder, 0);
  }
  const clients = [...ds.clients.entries()].sort((a, b) => b[0] - a[0]);
  encoding.writeVarUint(encoder.restEncoder, clients.length);
  for (const [client, ranges] of clients) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, ranges.length);
    for (const range of ranges) {
      encoder.writeDsClock(range.clock);
      encoder.writeDsLen(range.len);
    }
  }
  return encoder.toUint8Array();
}

/**
 * Everything a finished composition changed, as one update: this client's structs created
 * since its clock was `startClock` (the text typed and replaced meanwhile only as lengths, the
 * committed text in full), and the deletions the composition made (`updates`: the local
 * updates made during it, for their delete set; not the document's whole delete set, so the
 * server does not credit this member with others' earlier deletions).
 */
export function compositionUpdate(doc: Y.Doc, startClock: number, updates: Uint8Array[]): Uint8Array {
  const copy = collectedCopy(doc);
  try {
    const from = Y.decodeStateVector(Y.encodeStateVector(copy));
    from.set(doc.clientID, startClock);
    const structs = Y.encodeStateAsUpdate(copy, Y.encodeStateVector(from));
    const deletions = updates.length ? Y.decodeUpdate(Y.mergeUpdates(updates)).ds : Y.createDeleteSet();
    return withDeleteSet(structs, deletions);
  } finally {
    copy.destroy();
  }
}
