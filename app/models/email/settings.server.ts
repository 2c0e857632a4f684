/**
 * The email settings of this process, set once by `server/index.ts` when the server is
 * listening (the site's address is known then) and read by the queue, the worker, the pages and
 * the reply-by-email server. Kept in a process-wide singleton because the server bundle and the
 * Remix build load this module as separate copies (app/utils/singleton.server.ts).
 */
import { getSingleton, setSingleton } from "~/utils/singleton.server";

export interface EmailSettings {
  /** SMTP_URL, or null: emails are rendered and kept in the outbox (`held`), never dropped. */
  smtpUrl: string | null;
  /** The From header. */
  from: string;
  /** The site's origin (PUBLIC_URL, resolved): every link in an email starts with it. */
  publicUrl: string;
  /** Seconds a notification waits, unread, before it is emailed (EMAIL_DELAY_SECONDS). */
  delaySeconds: number;
  /** `reply+<token>@<domain>` addresses are given only while the inbound server runs. */
  inboundDomain: string | null;
}

const KEY = "email:settings";

/** Defaults before the server has configured email (unit tests, scripts): outbox only. */
const DEFAULTS: EmailSettings = { smtpUrl: null, from: "Coal Regions Network <no-reply@localhost>", publicUrl: "http://localhost:3000", delaySeconds: 600, inboundDomain: null };

export function emailSettings(): EmailSettings {
  return getSingleton<EmailSettings>(KEY) ?? DEFAULTS;
}

export function configureEmail(settings: EmailSettings): void {
  setSingleton(KEY, settings);
}

/** The default sender: no-reply at the site's own host. */
export function defaultFrom(publicUrl: string): string {
  return `Coal Regions Network <no-reply@${new URL(publicUrl).hostname}>`;
}
