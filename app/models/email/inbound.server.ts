/**
 * Reply by email (docs/decisions/023-reply-by-email.md). With INBOUND_SMTP_PORT set, the app
 * runs an SMTP server (smtp-server) that accepts mail only for `reply+<signed token>@<domain>`:
 * a forged, malformed or expired token is refused at RCPT TO (550). An accepted message is read
 * with mailparser; its quoted history and signature are cut away (English and Chinese clients:
 * "On … wrote:", "在 … 写道:", "-----Original Message-----", "发件人:", "> " lines, "Sent from
 * my iPhone"/"发自我的iPhone"); the rest is posted with the `reply.create` command as the member
 * the token was made for, so every rule of a web reply holds (lock, slow mode, suspension, rate
 * limit, sanitising). It must come from that member's address. Anything refused gets a bounce
 * in the member's language that says why. A message delivered twice (same Message-ID) posts once.
 */
import type { Locale } from "@prisma/client";
import EmailReplyParser from "email-reply-parser";
import { simpleParser, type AddressObject } from "mailparser";
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from "smtp-server";
import { prisma } from "~/db.server";
import { isAppError } from "~/utils/errors";
import { logger } from "~/utils/logger.server";
import { runCommand } from "../commands.server";
import { findActor } from "../users.server";
import { queueEmail } from "./outbox.server";
import { readReplyToken, REPLY_TOKEN_DAYS } from "./tokens.server";

/** Largest message accepted (a reply with a signature image or two). */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export interface InboundServer {
  port: number;
  close(): Promise<void>;
}

/** Lines that start the quoted history or a signature in the clients our members use. */
const CUT_LINES: RegExp[] = [
  /^\s*-{2,}\s*(Original Message|原始邮件|原邮件|Forwarded message|转发的邮件)\s*-{2,}\s*$/i,
  /^\s*(发件人|寄件者|From)\s*[:：]/,
  /^\s*在.{0,200}写道\s*[:：]\s*$/,
  /^\s*On\s.{0,300}wrote\s*:\s*$/i,
  /^\s*(Sent from my|发自我的|从我的).{0,60}$/i,
  /^--\s?$/,
  /^_{10,}$/,
];

/**
 * The new text of a reply: quoted history, signatures and "> " lines removed. A quote header
 * that the client wrapped over two lines ("On Mon, … Li Wei <…>\nwrote:") is found too.
 */
export function stripQuotedText(body: string): string {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const joined = i + 1 < lines.length ? `${line} ${lines[i + 1]}` : line;
    if (CUT_LINES.some((re) => re.test(line)) || /^\s*On\s.{0,300}wrote\s*:\s*$/i.test(joined) || /^\s*在.{0,200}写道\s*[:：]\s*$/.test(joined)) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).filter((line) => !/^\s*>/.test(line)).join("\n");
  // The library catches what the list above does not (other languages, more signatures).
  return new EmailReplyParser().parseReply(kept).trim();
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): string | null {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value).find((a) => a.address)?.address?.toLowerCase() ?? null;
}

/** The token of a `reply+<token>@<domain>` recipient, or null. */
export function tokenOfAddress(address: string, domain: string): string | null {
  const match = /^reply\+([a-z0-9-]{1,80})@(.+)$/i.exec(address.trim());
  if (!match || match[2].toLowerCase() !== domain.toLowerCase()) return null;
  return match[1].toLowerCase();
}

/** The outbox row a token stands for, if it is a thread email of a member, and not expired. */
async function emailOfToken(token: string) {
  const emailId = await readReplyToken(token);
  if (!emailId) return null;
  const row = await prisma.emailMessage.findUnique({ where: { id: emailId } });
  if (!row || row.kind !== "notification" || !row.userId || !row.refId) return null;
  if ((row.payload as Record<string, unknown> | null)?.scope !== "thread") return null;
  if (row.createdAt.getTime() < Date.now() - REPLY_TOKEN_DAYS * 24 * 60 * 60 * 1000) return null;
  return row;
}

interface Refusal {
  code?: string;
  reasonKey?: string;
  params?: Record<string, string | number>;
}

async function bounce(args: { userId: string; to: string; locale: Locale; threadId: string | null; text: string; inReplyTo: string | null; refusal: Refusal }) {
  await prisma.$transaction((tx) =>
    queueEmail(tx, {
      kind: "reply_refused",
      userId: args.userId,
      to: args.to,
      locale: args.locale,
      refId: args.threadId,
      payload: { threadId: args.threadId, text: args.text, inReplyTo: args.inReplyTo, code: args.refusal.code ?? null, reasonKey: args.refusal.reasonKey ?? null, params: args.refusal.params ?? {} },
    }),
  );
}

/**
 * Handles one received message for a token that passed RCPT TO.
 * @returns what happened (for the log and tests)
 */
export async function receiveReply(raw: Buffer, token: string): Promise<"posted" | "refused" | "duplicate" | "ignored"> {
  const row = await emailOfToken(token);
  if (!row) return "ignored";
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  // Vacation responders and other machines (RFC 3834) do not post.
  const auto = String(mail.headers.get("auto-submitted") ?? "no").toLowerCase();
  if (auto !== "no" || mail.headers.has("x-autoreply") || mail.headers.has("x-autorespond")) return "ignored";
  const messageId = (mail.messageId ?? `${token}:${raw.length}:${mail.date?.toISOString() ?? ""}`).slice(0, 500);
  const existing = await prisma.inboundEmail.findUnique({ where: { messageId } });
  if (existing) return "duplicate";
  const user = await prisma.user.findUnique({ where: { id: row.userId! }, select: { id: true, email: true, locale: true } });
  const text = stripQuotedText(mail.text ?? "");
  const inReplyTo = mail.messageId ?? null;
  const record = (outcome: string, replyId: string | null = null) =>
    prisma.inboundEmail.create({ data: { messageId, userId: row.userId, replyId, outcome } }).catch(() => undefined);
  if (!user) {
    await record("recipient_gone");
    return "refused";
  }
  const from = firstAddress(mail.from);
  if (from !== user.email.toLowerCase()) {
    // A stranger holding a forwarded notification cannot post as the member; the member hears of it.
    await record("unknown_sender");
    await bounce({ userId: user.id, to: user.email, locale: user.locale, threadId: row.refId, text, inReplyTo, refusal: { reasonKey: "email.refused.unknownSender" } });
    return "refused";
  }
  if (!text) {
    await record("empty");
    await bounce({ userId: user.id, to: user.email, locale: user.locale, threadId: row.refId, text: "", inReplyTo, refusal: { reasonKey: "email.refused.empty" } });
    return "refused";
  }
  const lastReplyId = (row.payload as Record<string, unknown> | null)?.lastReplyId;
  try {
    // The same command as the web form: lock, slow mode, suspension, rate limit, sanitising.
    const actor = await findActor(user.id);
    const reply = (await runCommand("reply.create", actor, {
      threadId: row.refId!,
      body: text,
      ...(typeof lastReplyId === "string" ? { replyToId: lastReplyId } : {}),
    })) as { id: string };
    await record("posted", reply.id);
    logger.info({ event: "email.reply_posted", userId: user.id, replyId: reply.id }, "reply by email posted");
    return "posted";
  } catch (error) {
    if (!isAppError(error)) throw error;
    // The reply it answered may have gone meanwhile: post to the thread instead of refusing.
    if (error.code === "not_found" && error.field === "replyToId") {
      const actor = await findActor(user.id);
      try {
        const reply = (await runCommand("reply.create", actor, { threadId: row.refId!, body: text })) as { id: string };
        await record("posted", reply.id);
        return "posted";
      } catch (retryError) {
        if (!isAppError(retryError)) throw retryError;
        error = retryError;
      }
    }
    const refusal = error as { code: string; params?: Record<string, string | number> };
    await record(`refused:${refusal.code}`);
    await bounce({ userId: user.id, to: user.email, locale: user.locale, threadId: row.refId, text, inReplyTo, refusal: { code: refusal.code, params: refusal.params } });
    logger.info({ event: "email.reply_refused", userId: user.id, code: refusal.code }, "reply by email refused");
    return "refused";
  }
}

/** Starts the inbound SMTP server. */
export async function startInboundServer(options: { port: number; host?: string; domain: string }): Promise<InboundServer> {
  const server = new SMTPServer({
    // Mail from other servers: no AUTH, no TLS certificate of our own (a relay in front can add it).
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: MAX_MESSAGE_BYTES,
    banner: "Coal Regions Network replies",
    logger: false,
    async onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (error?: Error | null) => void) {
      try {
        const token = tokenOfAddress(address.address, options.domain);
        if (!token || !(await emailOfToken(token))) {
          const error = new Error("5.1.1 No such reply address (unknown, forged or expired)") as Error & { responseCode: number };
          error.responseCode = 550;
          return callback(error);
        }
        callback();
      } catch (error) {
        const failure = new Error("4.3.0 Try again later") as Error & { responseCode: number };
        failure.responseCode = 451;
        logger.warn({ event: "email.inbound_error", error: (error as Error).message }, "inbound recipient check failed");
        callback(failure);
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (error) => callback(error));
      stream.on("end", async () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          const error = new Error("5.3.4 Message too big") as Error & { responseCode: number };
          error.responseCode = 552;
          return callback(error);
        }
        try {
          const raw = Buffer.concat(chunks);
          for (const recipient of session.envelope.rcptTo) {
            const token = tokenOfAddress(recipient.address, options.domain);
            if (token) await receiveReply(raw, token);
          }
          callback();
        } catch (error) {
          logger.warn({ event: "email.inbound_error", error: (error as Error).message }, "inbound message failed");
          const failure = new Error("4.3.0 Try again later") as Error & { responseCode: number };
          failure.responseCode = 451;
          callback(failure);
        }
      });
    },
  });
  server.on("error", (error) => logger.warn({ event: "email.inbound_error", error: error.message }, "inbound SMTP error"));
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(options.port, options.host, () => resolve((server.server.address() as { port: number }).port));
  });
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
