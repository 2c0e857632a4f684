/**
 * Image uploads: only real PNG/JPEG/GIF/WebP images whose declared type matches their bytes, at
 * most 5 MB; a refused upload gets a localised message and leaves no row and no file; a stored
 * image is served back with safe headers and can be used in a case study body.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { deflateSync } from "node:zlib";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { command, ids } from "../helpers/case-studies";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma } from "../helpers/factories";
import { startServer, type RunningServer } from "../helpers/server";

const MB = 1024 * 1024;

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real RGB PNG of the given size. */
function png(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width * 3 + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

describe("image uploads", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let uploadsDir: string;
  let member: SignedIn;
  let zhMember: SignedIn;

  beforeAll(async () => {
    uploadsDir = await mkdtemp(path.join(os.tmpdir(), "crn-uploads-"));
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url, env: { UPLOADS_DIR: uploadsDir } });
    const [en, zh] = await Promise.all([createMember(db), createMember(db, { locale: "zh", displayName: "上传者" })]);
    [member, zhMember] = await Promise.all([signIn(server.url, en.email, en.password), signIn(server.url, zh.email, zh.password)]);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
    await rm(uploadsDir, { recursive: true, force: true });
  });

  async function upload(file: { bytes: Uint8Array; type: string; name: string }, options: { cookie?: string; origin?: string | null } = {}) {
    const form = new FormData();
    form.append("file", new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }), file.name);
    const origin = options.origin === undefined ? new URL(server.url).origin : options.origin;
    const response = await fetch(new URL("/uploads", server.url), {
      method: "POST",
      body: form,
      headers: { ...(options.cookie ? { cookie: options.cookie } : {}), ...(origin ? { origin } : {}), accept: "application/json" },
      redirect: "manual",
    });
    const text = await response.text();
    let json: { ok: boolean; id?: string; url?: string; width?: number; height?: number; error?: { code: string; message: string } } | null = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, json, text };
  }

  async function nothingStored() {
    expect(await db.upload.count()).toBe(0);
    expect(await readdir(uploadsDir).catch(() => [])).toEqual([]);
  }

  it("refuses a file that is not an image, with a clear message in English and in Chinese, and stores nothing", async () => {
    const text = { bytes: new TextEncoder().encode("name,region\nA,Shanxi\n"), type: "text/csv", name: "members.csv" };
    const en = await upload(text, { cookie: member.cookie });
    expect(en.status).toBe(400);
    expect(en.json?.error).toMatchObject({ code: "upload_not_image", message: "This file is not an image we accept: upload a PNG, JPEG, GIF or WebP image." });
    const zh = await upload(text, { cookie: zhMember.cookie });
    expect(zh.status).toBe(400);
    expect(zh.json?.error?.message).toBe("此文件不是可接受的图片：请上传 PNG、JPEG、GIF 或 WebP 图片。");
    // An HTML page dressed up as a PNG is not an image either.
    const html = await upload({ bytes: new TextEncoder().encode("<html><script>alert(1)</script></html>"), type: "image/png", name: "x.png" }, { cookie: member.cookie });
    expect(html.json?.error?.code).toBe("upload_not_image");
    // Nor is an SVG (scripts inside images are exactly what we keep out).
    const svg = await upload({ bytes: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), type: "image/svg+xml", name: "x.svg" }, { cookie: member.cookie });
    expect(svg.status).toBe(400);
    await nothingStored();
  });

  it("refuses an image whose declared type lies about its content, and stores nothing", async () => {
    const en = await upload({ bytes: png(4, 4), type: "image/jpeg", name: "photo.jpg" }, { cookie: member.cookie });
    expect(en.status).toBe(400);
    expect(en.json?.error).toMatchObject({ code: "upload_type_mismatch", message: "The file's content does not match its declared type; it was refused." });
    const zh = await upload({ bytes: png(4, 4), type: "image/gif", name: "a.gif" }, { cookie: zhMember.cookie });
    expect(zh.json?.error?.message).toBe("文件内容与其声明的类型不符，已被拒绝。");
    await nothingStored();
  });

  it("refuses an image over 5 MB, whether the request says so up front or only the stream shows it, and stores nothing", async () => {
    // 6 MB: refused from the Content-Length alone.
    const big = Buffer.concat([png(2, 2), Buffer.alloc(6 * MB)]);
    const en = await upload({ bytes: big, type: "image/png", name: "big.png" }, { cookie: member.cookie });
    expect(en.status).toBe(413);
    expect(en.json?.error).toMatchObject({ code: "upload_too_large", message: "The image is too large: the limit is 5 MB." });
    // One byte over the limit: the request's length is under the envelope allowance, the file's is not.
    const justOver = Buffer.concat([png(2, 2), Buffer.alloc(5 * MB + 1 - png(2, 2).length)]);
    expect(justOver.length).toBe(5 * MB + 1);
    const zh = await upload({ bytes: justOver, type: "image/png", name: "over.png" }, { cookie: zhMember.cookie });
    expect(zh.status).toBe(413);
    expect(zh.json?.error?.message).toBe("图片过大：上限为 5 MB。");
    await nothingStored();
  });

  it("refuses uploads from signed-out visitors and from other sites", async () => {
    const signedOut = await upload({ bytes: png(2, 2), type: "image/png", name: "a.png" });
    expect(signedOut.status).toBe(401);
    const crossSite = await upload({ bytes: png(2, 2), type: "image/png", name: "a.png" }, { cookie: member.cookie, origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    await nothingStored();
  });

  it("stores a valid image with its size and serves it back with safe headers; a case study may show it, but no other image", async () => {
    const bytes = png(3, 2);
    const ok = await upload({ bytes, type: "image/png", name: "chart.png" }, { cookie: member.cookie });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json).toMatchObject({ ok: true, url: `/uploads/${ok.json!.id}`, width: 3, height: 2 });
    const row = await db.upload.findUniqueOrThrow({ where: { id: ok.json!.id! } });
    expect(row).toMatchObject({ contentType: "image/png", size: bytes.length, width: 3, height: 2, originalName: "chart.png" });
    expect(await readdir(uploadsDir)).toEqual([`${row.id}.png`]);
    expect(Buffer.compare(await readFile(path.join(uploadsDir, `${row.id}.png`)), bytes)).toBe(0);

    const served = await fetch(new URL(ok.json!.url!, server.url));
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("content-disposition")).toBe("inline");
    expect(served.headers.get("cache-control")).toContain("immutable");
    expect(served.headers.get("cache-control")).toContain("max-age=31536000");
    expect(served.headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
    expect(Buffer.compare(Buffer.from(await served.arrayBuffer()), bytes)).toBe(0);
    expect((await fetch(new URL("/uploads/doesnotexist0000000000", server.url))).status).toBe(404);

    const { regionIds } = await ids(db, ["shanxi"], []);
    const doc = (src: string) => ({
      type: "doc",
      content: [
        { type: "paragraph", content: [{ type: "text", text: "Output by year:" }] },
        { type: "image", attrs: { src, alt: "Chart" } },
        {
          type: "table",
          content: [
            { type: "tableRow", content: [{ type: "tableHeader", content: [{ type: "paragraph", content: [{ type: "text", text: "Year" }] }] }, { type: "tableHeader", content: [{ type: "paragraph", content: [{ type: "text", text: "MW" }] }] }] },
            { type: "tableRow", content: [{ type: "tableCell", content: [{ type: "paragraph", content: [{ type: "text", text: "2024" }] }] }, { type: "tableCell", content: [{ type: "paragraph", content: [{ type: "text", text: "120" }] }] }] },
          ],
        },
      ],
    });
    const created = await command<{ caseStudyId: string }>(server.url, "caseStudy.create", { language: "en", title: "With a chart", content: doc(ok.json!.url!), regionIds, topicIds: [] }, member.cookie);
    expect(created.status, JSON.stringify(created.error)).toBe(200);
    const version = await db.caseStudyVersion.findFirstOrThrow({ where: { caseStudyId: created.result.caseStudyId } });
    expect(version.text).toContain("Year | MW");
    const page = await fetch(new URL(`/case-studies/${created.result.caseStudyId}`, server.url), { headers: { cookie: member.cookie } });
    const html = await page.text();
    expect(html).toMatch(new RegExp(`<img [^>]*src="/uploads/${row.id}" alt="Chart"`));
    expect(html).toMatch(/<table[^>]*>.*<th[^>]*><p>Year<\/p><\/th>/s);

    for (const src of ["https://evil.example/x.png", "/uploads/doesnotexist0000000000", "data:image/png;base64,AAAA", "javascript:alert(1)"]) {
      const refused = await command(server.url, "caseStudy.create", { language: "en", title: "Bad image", content: doc(src), regionIds, topicIds: [] }, member.cookie);
      expect(refused.status, src).toBe(400);
      expect(refused.error?.code, src).toBe("image_not_allowed");
    }
  });
});
