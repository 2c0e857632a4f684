import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { renderVersion, type Attribution, type HistoryPerson } from "./note-history-render.server";

const who = new Map<string, HistoryPerson>([
  ["u-ann", { id: "u-ann", name: "Ann <Admin> & \"Co\"", colour: "#2f6fb4" }],
  ["u-bo", { id: "u-bo", name: "Bo", colour: "#2f8f4e" }],
]);

/**
 * A never-collected document written by two members (client 1 = Ann, client 2 = Bo), recording
 * who deleted what from each transaction's delete set, as the server does per stored update.
 */
function history() {
  const doc = new Y.Doc({ gc: false });
  const attribution: Attribution = { userOfClient: new Map([[1, "u-ann"], [2, "u-bo"]]), deletions: new Map() };
  let author = "u-ann";
  doc.on("update", (update: Uint8Array) => {
    for (const [client, items] of Y.decodeUpdate(update).ds.clients) {
      const list = attribution.deletions.get(client) ?? [];
      for (const item of items) list.push({ clock: item.clock, len: item.len, userId: author });
      attribution.deletions.set(client, list);
    }
  });
  const as = (user: "u-ann" | "u-bo", change: (fragment: Y.XmlFragment) => void) => {
    author = user;
    doc.clientID = user === "u-ann" ? 1 : 2;
    doc.transact(() => change(doc.getXmlFragment("default")));
  };
  const render = (snap: Y.Snapshot, prev: Y.Snapshot) => renderVersion(doc.getXmlFragment("default"), snap, prev, attribution, who);
  return { doc, as, render };
}

function block(name: string, text: string, attrs: Record<string, unknown> = {}): Y.XmlElement {
  const el = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as string);
  el.insert(0, [new Y.XmlText(text)]);
  return el;
}

describe("renderVersion", () => {
  it("escapes every string, turns only known nodes and marks into tags, and keeps only safe links", () => {
    const { doc, as, render } = history();
    as("u-ann", (f) => {
      f.insert(0, [block("heading", "<script>alert(1)</script>", { level: "9\" onclick=\"x" }), block("paragraph", "")]);
      const text = (f.get(1) as Y.XmlElement).get(0) as Y.XmlText;
      text.insert(0, "bold", { bold: {} });
      text.insert(4, " bad", { link: { href: "javascript:alert(1)" } });
      text.insert(8, " good", { link: { href: "https://example.org/?a=1&b=\"2\"" } });
      text.insert(13, " <img src=x onerror=alert(1)>", { link: null });
      f.insert(2, [block("iframe", "inside an unknown node")]);
    });
    const snap = Y.snapshot(doc);
    const html = render(snap, snap);
    expect(html).toBe(
      "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" +
        '<p><strong>bold</strong> bad<a href="https://example.org/?a=1&amp;b=&quot;2&quot;" rel="noopener noreferrer nofollow"> good</a> &lt;img src=x onerror=alert(1)&gt;</p>' +
        "inside an unknown node",
    );
  });

  it("marks net changes since the previous version with the member who made each", () => {
    const { doc, as, render } = history();
    as("u-ann", (f) => f.insert(0, [block("heading", "Plan", { level: 2 }), block("paragraph", "Ann wrote this.")]));
    const first = Y.snapshot(doc);
    as("u-bo", (f) => ((f.get(1) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 4)); // "Ann "
    as("u-bo", (f) => f.insert(2, [block("paragraph", "Bo's line.")]));
    as("u-ann", (f) => f.insert(3, [block("paragraph", "Made and removed in between.")]));
    as("u-bo", (f) => f.delete(3, 1));
    as("u-ann", (f) => f.delete(0, 1)); // the heading
    const second = Y.snapshot(doc);

    const html = render(second, first);
    const ann = 'data-user="Ann &lt;Admin&gt; &amp; &quot;Co&quot;" data-user-id="u-ann" title="Ann &lt;Admin&gt; &amp; &quot;Co&quot;" style="--change-colour: #2f6fb4"';
    const bo = 'data-user="Bo" data-user-id="u-bo" title="Bo" style="--change-colour: #2f8f4e"';
    expect(html).toBe(
      // The removed heading keeps its level from the previous version.
      `<h2 class="change change-removed" data-change="removed" ${ann}><del class="change change-removed" data-change="removed" ${ann}>Plan</del></h2>` +
        `<p><del class="change change-removed" data-change="removed" ${bo}>Ann </del>wrote this.</p>` +
        `<p class="change change-added" data-change="added" ${bo}><ins class="change change-added" data-change="added" ${bo}>Bo&#39;s line.</ins></p>`,
    );
    // The first version against nothing: everything is new, by its writer.
    expect(render(first, Y.emptySnapshot)).toBe(
      `<h2 class="change change-added" data-change="added" ${ann}><ins class="change change-added" data-change="added" ${ann}>Plan</ins></h2>` +
        `<p class="change change-added" data-change="added" ${ann}><ins class="change change-added" data-change="added" ${ann}>Ann wrote this.</ins></p>`,
    );
  });
});
