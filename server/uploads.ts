/**
 * `GET /uploads/<id>`: an uploaded image, with its stored (checked) content type, `nosniff`,
 * `inline` disposition, a year of immutable caching (ids are never reused) and a CSP of
 * `default-src 'none'` so the file can never run as a document. Uploads are readable by anyone
 * who has the (unguessable) id, as public case studies need their images signed out.
 */
import { createReadStream } from "node:fs";
import type { Request, Response, NextFunction } from "express";
import { findUpload, uploadPath } from "~/models/uploads.server";

export async function serveUpload(req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    const upload = await findUpload(req.params.id ?? "");
    if (!upload) {
      res.status(404).type("text/plain").send("Not found / 未找到");
      return;
    }
    const stream = createReadStream(uploadPath(upload.id, upload.contentType));
    stream.once("error", () => {
      if (!res.headersSent) res.status(404).type("text/plain").send("Not found / 未找到");
      else res.destroy();
    });
    stream.once("open", () => {
      res.status(200);
      res.setHeader("Content-Type", upload.contentType);
      res.setHeader("Content-Length", String(upload.size));
      res.setHeader("X-Content-Type-Options", "nosniff");
      res.setHeader("Content-Disposition", "inline");
      res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
      res.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
      res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
      stream.pipe(res);
    });
  } catch (error) {
    next(error);
  }
}
