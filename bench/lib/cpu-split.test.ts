import { describe, expect, it } from "vitest";
import { categoryOf, cpuSplit, type CpuProfile } from "./cpu-split";

describe("cpuSplit", () => {
  it("sorts frames into what a page costs", () => {
    expect(categoryOf("renderElement", "file:///app/node_modules/react-dom/cjs/react-dom-server.node.production.min.js")).toBe("React rendering");
    expect(categoryOf("compile", "file:///app/node_modules/.prisma/client/query_compiler_bg.js")).toBe("Prisma (compile, interpret)");
    expect(categoryOf("wasm-function[3608]", "wasm://wasm/0123")).toBe("Prisma (compile, interpret)");
    expect(categoryOf("parseRow", "file:///app/node_modules/pg/lib/result.js")).toBe("pg driver");
    expect(categoryOf("compilePath", "file:///app/node_modules/@remix-run/router/dist/router.cjs.js")).toBe("Remix (matching, loaders' data)");
    expect(categoryOf("translate", "file:///app/node_modules/i18next/dist/esm/i18next.js")).toBe("i18next");
    expect(categoryOf("ReplyItem", "file:///app/build/server/index.js")).toBe("app code");
    expect(categoryOf("writev", "")).toBe("HTTP, streams, Express");
    expect(categoryOf("(garbage collector)", "")).toBe("garbage collection");
    expect(categoryOf("(idle)", "")).toBe("idle");
    expect(categoryOf("somethingElse", "node:crypto")).toBe("other");
  });

  it("divides self time by the views profiled and leaves idle out", () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: "(idle)", url: "" } },
        { id: 2, callFrame: { functionName: "render", url: "file:///x/node_modules/react-dom/server.js" } },
        { id: 3, callFrame: { functionName: "(garbage collector)", url: "" } },
      ],
      // 4 ms idle, 6 ms React, 2 ms GC (time deltas in microseconds).
      samples: [1, 2, 2, 3, 1],
      timeDeltas: [2000, 3000, 3000, 2000, 2000],
    };
    const { perView, total } = cpuSplit(profile, 2);
    expect(perView["React rendering"]).toBeCloseTo(3);
    expect(perView["garbage collection"]).toBeCloseTo(1);
    expect(perView).not.toHaveProperty("idle");
    expect(total).toBeCloseTo(4);
  });
});
