/**
 * The shape of the code base, checked on every run: imports form no cycle (type-only imports
 * included), and `app/utils/` stays the ground: it imports no model, no HTTP adapter, no
 * policy and no database (request adapters live in `app/http/`).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseCircular, parseDependencyTree, shortenTree } from "dpdm";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
let tree: Awaited<ReturnType<typeof parseDependencyTree>>;

beforeAll(async () => {
  const parsed = await parseDependencyTree(["app/**/*.ts", "app/**/*.tsx", "server/**/*.ts"], {
    context: root,
    cwd: root,
    tsconfig: path.join(root, "tsconfig.json"),
    transform: false,
    skipDynamicImports: false,
  });
  tree = shortenTree(root, parsed);
}, 120_000);

describe("imports", () => {
  it("form no cycle, type-only imports included", () => {
    expect(parseCircular(tree).map((cycle) => cycle.join(" → "))).toEqual([]);
  });

  it("from app/utils reach no model, HTTP adapter, policy or database", () => {
    const upward = /^app\/(models|http|routes|components|realtime\/.*\.server|policy\.server|db\.server)/;
    const offending: string[] = [];
    for (const [file, dependencies] of Object.entries(tree)) {
      if (!file.startsWith("app/utils/") || !dependencies) continue;
      for (const dependency of dependencies) {
        if (dependency.id && upward.test(dependency.id)) offending.push(`${file} → ${dependency.id}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
