/**
 * Image uploads for case studies: stored under UPLOADS_DIR (default ./data/uploads) as
 * `<id>.<ext>` with an `Upload` row. Only PNG, JPEG, GIF and WebP, recognised by their bytes
 * (file-type's magic numbers), never by the name or the declared type alone; the declared type
 * must agree with the bytes; at most 5 MB. A refused upload leaves nothing behind: no row and
 * no file (a partly written file is removed).
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileTypeFromBuffer } from "file-type";
import { imageSize } from "image-size";
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { consume, createLimiter } from "~/utils/rate-limit.server";
import { singleton } from "~/utils/singleton.server";
import { cutAtGrapheme } from "~/utils/text";

/** Largest image accepted. */
export const UPLOAD_MAX_BYTES = 5 * 1024 * 1024;
/** The same limit as the error messages show it. */
export const UPLOAD_MAX_LABEL = "5 MB";

/** Content types accepted, with the extension each is stored under. */
export const UPLOAD_TYPES: Readonly<Record<string, string>> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
};

/** An upload id as newId() makes them (also what `/uploads/<id>` accepts). */
export const UPLOAD_ID_PATTERN = /^[a-z0-9]{10,40}$/;

/** 30 uploads per member per 10 minutes. */
const uploadLimiter = singleton("limiter:upload", () => createLimiter({ keyPrefix: "crn:upload", points: 30, duration: 600 }));

export function uploadsDir(): string {
  return path.resolve(process.env.UPLOADS_DIR || path.join("data", "uploads"));
}

export function uploadPath(id: string, contentType: string): string {
  return path.join(uploadsDir(), `${id}.${UPLOAD_TYPES[contentType] ?? "bin"}`);
}

/**
 * Checks, before the body is read, that the actor may upload now (signed in, not suspended,
 * under the rate limit).
 * @throws AppError unauthenticated | suspended | rate_limited
 */
export async function beginUpload(actor: Actor | null): Promise<Actor> {
  assertCan(actor, "upload.create");
  await consume(uploadLimiter, actor.id);
  return actor;
}

/** "image/jpg" and parameters aside, the declared type as file-type names it. */
function normaliseDeclared(type: string): string {
  const base = type.split(";")[0]!.trim().toLowerCase();
  return base === "image/jpg" || base === "image/pjpeg" ? "image/jpeg" : base;
}

export interface StoredUpload {
  id: string;
  url: string;
  width: number | null;
  height: number | null;
  contentType: string;
  size: number;
}

/**
 * Checks and stores an image read (at most UPLOAD_MAX_BYTES) from the request.
 * @throws AppError upload_missing | upload_too_large | upload_not_image | upload_type_mismatch
 */
export async function storeUpload(
  actor: Actor,
  file: { data: Uint8Array; declaredType: string; originalName: string },
): Promise<StoredUpload> {
  if (file.data.byteLength === 0) throw new AppError("upload_missing", "No file", "file");
  if (file.data.byteLength > UPLOAD_MAX_BYTES) throw new AppError("upload_too_large", "Too large", "file", { max: UPLOAD_MAX_LABEL });
  const detected = await fileTypeFromBuffer(file.data);
  if (!detected || !UPLOAD_TYPES[detected.mime]) throw new AppError("upload_not_image", "Not an image", "file");
  if (normaliseDeclared(file.declaredType) !== detected.mime) {
    throw new AppError("upload_type_mismatch", "Declared type differs from the content", "file");
  }
  let width: number | null = null;
  let height: number | null = null;
  try {
    const size = imageSize(file.data);
    width = size.width ?? null;
    height = size.height ?? null;
  } catch {
    throw new AppError("upload_not_image", "Unreadable image", "file");
  }
  const id = newId();
  const dir = uploadsDir();
  const finalPath = uploadPath(id, detected.mime);
  const tempPath = path.join(dir, `.${id}.${randomBytes(6).toString("hex")}.part`);
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(tempPath, file.data, { flag: "wx" });
    await prisma.$transaction(async (tx) => {
      await tx.upload.create({
        data: {
          id,
          ownerId: actor.id,
          contentType: detected.mime,
          size: file.data.byteLength,
          originalName: cutAtGrapheme(file.originalName.replace(/\u0000/g, ""), 200),
          width,
          height,
        },
      });
      // The file takes its name inside the transaction: a failed rename rolls the row back.
      await rename(tempPath, finalPath);
    });
  } catch (error) {
    await unlink(tempPath).catch(() => {});
    await unlink(finalPath).catch(() => {});
    throw error;
  }
  return { id, url: `/uploads/${id}`, width, height, contentType: detected.mime, size: file.data.byteLength };
}

/** The upload's row, or null (ids that cannot be ours are not looked up). */
export async function findUpload(id: string) {
  if (!UPLOAD_ID_PATTERN.test(id)) return null;
  return prisma.upload.findUnique({ where: { id } });
}
