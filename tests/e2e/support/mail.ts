/**
 * The emails the server sent during the e2e run, read from E2E_MAIL_DIR (the SMTP sink of the
 * global setup writes each one there) with mailparser, as a mail client would.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "@playwright/test";
import { simpleParser, type AddressObject } from "mailparser";

export interface Email {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value.map((v) => (v.address ?? "").toLowerCase()));
}

async function readAll(): Promise<Email[]> {
  const dir = process.env.E2E_MAIL_DIR;
  if (!dir) throw new Error("E2E_MAIL_DIR is not set: run the e2e tests through `playwright test`.");
  const files = (await readdir(dir)).filter((f) => f.endsWith(".eml")).sort();
  return Promise.all(
    files.map(async (file) => {
      const parsed = await simpleParser(await readFile(path.join(dir, file)));
      return { to: addresses(parsed.to), subject: parsed.subject ?? "", text: parsed.text ?? "", html: typeof parsed.html === "string" ? parsed.html : "" };
    }),
  );
}

/** Waits for the first email to `address` whose subject matches. */
export async function waitForEmail(address: string, subject: RegExp): Promise<Email> {
  let found: Email | undefined;
  await expect
    .poll(async () => {
      found = (await readAll()).find((m) => m.to.includes(address.toLowerCase()) && subject.test(m.subject));
      return Boolean(found);
    }, { timeout: 45_000, message: `an email to ${address} with a subject like ${subject}` })
    .toBe(true);
  return found!;
}

/** The first link in the email's text part whose path starts with `pathPrefix`. */
export function linkIn(email: Email, pathPrefix: string): string {
  const link = (email.text.match(/https?:\/\/[^\s\])>"]+/g) ?? []).find((l) => new URL(l).pathname.startsWith(pathPrefix));
  if (!link) throw new Error(`no link to ${pathPrefix} in ${email.text.slice(0, 500)}`);
  return link;
}
