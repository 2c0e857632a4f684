/**
 * An SMTP sink for the tests: a real SMTP server (smtp-server) on a free loopback port that the
 * app sends to over real SMTP (`SMTP_URL=smtp://127.0.0.1:<port>`), each message read with
 * mailparser, as a mail client would. Waiting is event-driven (a message arrives, the waiter
 * resolves), never a sleep.
 *
 * It can also play a difficult server: refuse a recipient for good (550) or for now (451), or
 * hold a message's DATA without answering (to kill the app mid-send).
 */
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  /** Envelope recipients, lower case. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Every header, names lower case (`list-unsubscribe`, `message-id`, `in-reply-to`, …). */
  headers: Map<string, unknown>;
  header(name: string): string;
  parsed: ParsedMail;
  raw: Buffer;
  /** Absolute links in the text part. */
  links: string[];
}

export interface SinkBehaviour {
  /** Recipients refused for good at RCPT TO (550). */
  permanent?: (address: string) => boolean;
  /** Recipients refused for now at RCPT TO (451). */
  temporary?: (address: string) => boolean;
  /** Holds the message's DATA without answering; `onHeld` is told. */
  hold?: (address: string) => boolean;
  /** Called with every message received (the e2e setup writes them to a folder). */
  onMessage?: (mail: ReceivedMail) => void | Promise<void>;
}

export interface MailSink {
  port: number;
  url: string;
  messages: ReceivedMail[];
  behaviour: SinkBehaviour;
  /** Resolves with the first message (already received or to come) that matches. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number, what?: string): Promise<ReceivedMail>;
  /** Resolves when `count` messages match. */
  waitForCount(match: (mail: ReceivedMail) => boolean, count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Resolves when a message's DATA is being held (see `behaviour.hold`). */
  held(): Promise<void>;
  /** Drops the connections of held messages without answering. */
  releaseHeld(): void;
  close(): Promise<void>;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value.map((v) => v.address ?? "")).join(", ");
}

export async function startMailSink(behaviour: SinkBehaviour = {}): Promise<MailSink> {
  const messages: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const heldWaiters: (() => void)[] = [];
  const heldSockets: { destroy(): void }[] = [];
  let heldCount = 0;
  const notify = () => waiters.splice(0).forEach((w) => w());

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const email = address.address.toLowerCase();
      if (behaviour.permanent?.(email)) return callback(Object.assign(new Error("5.1.1 No such user here"), { responseCode: 550 }));
      if (behaviour.temporary?.(email)) return callback(Object.assign(new Error("4.2.1 Mailbox busy, try later"), { responseCode: 451 }));
      callback();
    },
    onData(stream, session, callback) {
      const recipients = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      if (recipients.some((r) => behaviour.hold?.(r))) {
        // Never answer: the sender waits until its process dies or the sink drops it.
        stream.resume();
        heldCount++;
        const socket = (session as unknown as { socket?: { destroy(): void } }).socket;
        if (socket) heldSockets.push(socket);
        heldWaiters.splice(0).forEach((w) => w());
        return;
      }
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks);
        const parsed = await simpleParser(raw);
        const text = parsed.text ?? "";
        const mail: ReceivedMail = {
          to: recipients,
          from: addresses(parsed.from),
          subject: parsed.subject ?? "",
          text,
          html: typeof parsed.html === "string" ? parsed.html : "",
          headers: parsed.headers as Map<string, unknown>,
          header(name) {
            // The header as written (mailparser folds List-* headers into a `list` object).
            const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
            return line ? line.slice(line.indexOf(":") + 1).replace(/\r?\n[ \t]+/g, " ").trim() : "";
          },
          parsed,
          raw,
          links: [...new Set(text.match(/https?:\/\/[^\s\])>"]+/g) ?? [])],
        };
        messages.push(mail);
        await behaviour.onMessage?.(mail);
        callback();
        notify();
      });
    },
  });
  // A sender killed mid-message resets its connection: expected here, not a test failure.
  server.on("error", () => {});
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.server.address() as { port: number }).port));
  });

  const waitForCount = (match: (mail: ReceivedMail) => boolean, count: number, timeoutMs = 45_000) =>
    new Promise<ReceivedMail[]>((resolve, reject) => {
      const check = () => {
        const found = messages.filter(match);
        if (found.length >= count) {
          clearTimeout(timer);
          resolve(found);
          return true;
        }
        waiters.push(check);
        return false;
      };
      const timer = setTimeout(() => reject(new Error(`expected ${count} matching emails, got ${messages.filter(match).length}; received: ${messages.map((m) => `${m.to.join(",")}: ${m.subject}`).join(" | ")}`)), timeoutMs);
      check();
    });

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    behaviour,
    async waitFor(match, timeoutMs = 45_000) {
      const [mail] = await waitForCount(match, 1, timeoutMs);
      return mail;
    },
    waitForCount,
    held: () =>
      new Promise<void>((resolve) => {
        if (heldCount > 0) return resolve();
        heldWaiters.push(resolve);
      }),
    releaseHeld() {
      for (const socket of heldSockets.splice(0)) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Sends a message to an SMTP server (the app's inbound reply server), as a member's mail client. */
export async function sendMail(port: number, message: { from: string; to: string; subject: string; text: string; headers?: Record<string, string>; inReplyTo?: string }): Promise<void> {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail(message);
  } finally {
    transport.close();
  }
}

/** The first link in a mail's text part whose path starts with `path`. */
export function linkTo(mail: ReceivedMail, path: string): string {
  const link = mail.links.find((l) => new URL(l).pathname.startsWith(path));
  if (!link) throw new Error(`no link to ${path} in: ${mail.text.slice(0, 800)}`);
  return link;
}
