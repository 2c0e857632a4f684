/**
 * Translations of replies (docs/decisions/040-translations-of-replies.md): one per reply and
 * language, as rich text under the reply schema, by a person or (asked for by a member) a
 * machine-translation service. A translation is a change of its reply: it takes the thread's
 * next change number and goes out as `reply:updated`, so open pages and the catch-up after a
 * reconnect pick it up like an edit.
 */
import type { Prisma, TranslationKind } from "@prisma/client";
import { prisma } from "~/db.server";
import { assertCan, can, isStaff, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import type { ReplyView } from "~/realtime/events";
import { AppError, isAppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { otherLanguage } from "~/utils/language";
import { consume, createLimiter } from "~/utils/rate-limit.server";
import { singleton } from "~/utils/singleton.server";
import type { Lang } from "~/i18n/config";
import { publishUnreadCounts } from "../notifications.server";
import { loadReply, nextChangeSeq, publishReply, readerOf } from "../replies.server";
import { assertMentionsAllowed, participantNumberFor, prepareReplyContent, replyInclude, toReplyView, type PreparedContent } from "../reply-rows.server";
import { indexReply } from "../search.server";
import { isPseudonymous, replyLevel } from "../track2/attribution.server";
import { assertMachineTranslationAllowed, machineTranslateHtml } from "./machine.server";
import { notifyTranslationRequested } from "./requests.server";
import { renderReplyHtml, parseReplyHtml } from "~/editor/content.server";

/** A reply's content error, said of a translation ("Your translation is empty", not "Your reply …"). */
function asTranslationError(error: unknown): never {
  if (isAppError(error) && error.code === "reply_empty") throw new AppError("translation_empty", error.message, error.field);
  if (isAppError(error) && error.code === "reply_too_long") throw new AppError("translation_too_long", error.message, error.field);
  throw error;
}

/** 20 translations per member per minute (staff exempt): a person translates far slower. */
const translationLimiter = singleton("limiter:translation", () => createLimiter({ keyPrefix: "crn:translation", points: 20, duration: 60 }));

type LoadedReply = Awaited<ReturnType<typeof loadReply>>;

/**
 * The reply if the actor may read it; otherwise not found (a signed-out or suspended actor is
 * told so first).
 * @throws AppError unauthenticated | suspended | not_found
 */
async function readableReply(actor: Actor | null, replyId: string): Promise<LoadedReply> {
  const reply = await loadReply(replyId, actor);
  if (!can(actor, "reply.read", reply.resource)) {
    assertCan(actor, "thread.create");
    throw new AppError("not_found");
  }
  return reply;
}

/**
 * Stores a translation (a new one, or over the one in that language) and broadcasts the reply.
 * Runs under the thread's row lock (nextChangeSeq), so two saves of the same reply's
 * translation follow each other; `guard` runs under that lock too (a machine translation checks
 * there that no person translated meanwhile).
 */
async function storeTranslation(
  actor: Actor,
  reply: LoadedReply,
  args: { language: Lang; prepared: PreparedContent; kind: Exclude<TranslationKind, "original">; guard?: (tx: Prisma.TransactionClient) => Promise<void> },
): Promise<ReplyView> {
  const level = replyLevel(reply.attributionLevel, reply.access.level);
  const row = await prisma.$transaction(async (tx) => {
    const changeSeq = await nextChangeSeq(tx, reply.threadId);
    await args.guard?.(tx);
    // A translator speaks in the thread too: under the Chatham House Rule they get a pseudonym.
    const participantNumber = isPseudonymous(level) ? await participantNumberFor(tx, reply.threadId, actor.id) : 0;
    const data = {
      content: args.prepared.content as Prisma.InputJsonValue,
      text: args.prepared.text,
      kind: args.kind,
      translatorId: actor.id,
      sourceRevision: reply.editCount,
      attributionLevel: level,
      participantNumber,
      updatedAt: new Date(),
    };
    await tx.replyTranslation.upsert({
      where: { replyId_language: { replyId: reply.id, language: args.language } },
      create: { id: newId(), replyId: reply.id, language: args.language, ...data },
      update: data,
    });
    // Translated: the request (if any) is answered.
    await tx.reply.update({ where: { id: reply.id }, data: { changeSeq, translationRequestedAt: null, translationRequestedById: null } });
    await indexReply(tx, reply.id);
    return tx.reply.findUniqueOrThrow({ where: { id: reply.id }, include: replyInclude });
  });
  if (!row.hiddenAt) publishReply("reply.updated", row, reply.access.level);
  return toReplyView(row, readerOf(actor), reply.access.level);
}

/**
 * Adds or improves the actor's translation of a reply into `language` (rich `content`, or text
 * `body` as in reply.create). Any member who may read the reply may translate it; a person's
 * translation replaces a machine one.
 * @throws AppError unauthenticated | suspended | not_found | forbidden (hidden reply) |
 *   translation_original_language | rate_limited | translation_empty | translation_too_long |
 *   link_not_allowed | reply_invalid | mention_unknown | mention_not_allowed
 */
export async function translateReply(actor: Actor | null, input: ParsedCommandInput<"reply.translate">): Promise<ReplyView> {
  const reply = await readableReply(actor, input.replyId);
  assertCan(actor, "reply.translate", reply.resource);
  if (input.language === reply.language) throw new AppError("translation_original_language", "The reply is written in this language", "language");
  const prepared = await prepareReplyContent(input).catch(asTranslationError);
  assertMentionsAllowed(replyLevel(reply.attributionLevel, reply.access.level), prepared);
  if (!isStaff(actor)) await consume(translationLimiter, actor.id);
  return storeTranslation(actor, reply, { language: input.language, prepared, kind: "human" });
}

/**
 * Removes a reply's translation into `language`: the reply's author, the translator or staff.
 * @throws AppError unauthenticated | suspended | not_found | forbidden
 */
export async function untranslateReply(actor: Actor | null, input: ParsedCommandInput<"reply.untranslate">): Promise<ReplyView> {
  const reply = await readableReply(actor, input.replyId);
  const translation = reply.translations.find((t) => t.language === input.language);
  if (!translation) throw new AppError("not_found", "No translation in this language", "language");
  assertCan(actor, "translation.remove", { reply: reply.resource, translatorId: translation.translatorId });
  const row = await prisma.$transaction(async (tx) => {
    const changeSeq = await nextChangeSeq(tx, reply.threadId);
    await tx.replyTranslation.deleteMany({ where: { replyId: reply.id, language: input.language } });
    await tx.reply.update({ where: { id: reply.id }, data: { changeSeq } });
    // Staff removing someone's translation is a moderation act; an author removing one of their reply is not.
    if (translation.translatorId !== actor.id && isStaff(actor) && reply.authorId !== actor.id) {
      await tx.staffAction.create({
        data: { id: newId(), actorId: actor.id, action: "reply.untranslate", targetType: "reply", targetId: reply.id, reason: input.language },
      });
    }
    await indexReply(tx, reply.id);
    return tx.reply.findUniqueOrThrow({ where: { id: reply.id }, include: replyInclude });
  });
  if (!row.hiddenAt) publishReply("reply.updated", row, reply.access.level);
  return toReplyView(row, readerOf(actor), reply.access.level);
}

/**
 * Asks for a translation of the reply into the other language: it goes to the top of
 * /translations, and members following the queue who may read it are told. Asking again, or
 * for a reply already translated, changes nothing.
 * @throws AppError unauthenticated | suspended | not_found | forbidden (hidden reply) | rate_limited
 */
export async function requestReplyTranslation(actor: Actor | null, input: ParsedCommandInput<"reply.requestTranslation">): Promise<ReplyView> {
  const reply = await readableReply(actor, input.replyId);
  assertCan(actor, "reply.translate", reply.resource);
  const target = otherLanguage(reply.language);
  if (reply.translationRequestedAt || reply.translations.some((t) => t.language === target)) return toReplyView(reply, readerOf(actor), reply.access.level);
  if (!isStaff(actor)) await consume(translationLimiter, actor.id);
  const { row, notified } = await prisma.$transaction(async (tx) => {
    const changeSeq = await nextChangeSeq(tx, reply.threadId);
    const claimed = await tx.reply.updateMany({
      where: { id: reply.id, translationRequestedAt: null },
      data: { translationRequestedAt: new Date(), translationRequestedById: actor.id, changeSeq },
    });
    const notified = claimed.count === 1 ? await notifyTranslationRequested(tx, { actorId: actor.id, threadId: reply.threadId, replyId: reply.id, language: target }) : [];
    return { row: await tx.reply.findUniqueOrThrow({ where: { id: reply.id }, include: replyInclude }), notified };
  });
  publishReply("reply.updated", row, reply.access.level);
  await publishUnreadCounts(notified);
  return toReplyView(row, readerOf(actor), reply.access.level);
}

/**
 * A machine translation of the reply into the other language, stored as kind `machine` with
 * the member who asked as its requester. Only with TRANSLATE_URL set; never over a person's
 * translation; in Chatham House and off-the-record threads only where an admin allowed it.
 * The service's timeout or error stores nothing.
 * @throws AppError unauthenticated | suspended | not_found | forbidden | machine_translation_off |
 *   machine_translation_not_allowed | translation_human_exists | machine_translation_failed |
 *   machine_translation_timeout | rate_limited
 */
export async function machineTranslateReply(actor: Actor | null, input: ParsedCommandInput<"reply.machineTranslate">): Promise<ReplyView> {
  const reply = await readableReply(actor, input.replyId);
  assertCan(actor, "reply.translate", reply.resource);
  const level = replyLevel(reply.attributionLevel, reply.access.level);
  await assertMachineTranslationAllowed(level, reply.thread.dialogueId);
  const target = otherLanguage(reply.language);
  const humanExists = (rows: { language: string; kind: TranslationKind }[]) => rows.some((t) => t.language === target && t.kind === "human");
  if (humanExists(reply.translations)) throw new AppError("translation_human_exists", "A person has translated this reply");
  if (!isStaff(actor)) await consume(translationLimiter, actor.id);
  const html = await machineTranslateHtml(renderReplyHtml(reply.content), reply.language, target);
  // Through the same checks as a person's text (schema, links, mentions named as they are now).
  let prepared: PreparedContent;
  try {
    prepared = await prepareReplyContent({ content: parseReplyHtml(html).content });
  } catch (error) {
    // What the service sent is not something the member can fix by editing: say the service failed.
    if (isAppError(error)) throw new AppError("machine_translation_failed", `The translation could not be stored: ${error.code}`);
    throw error;
  }
  assertMentionsAllowed(level, prepared);
  return storeTranslation(actor, reply, {
    language: target,
    prepared,
    kind: "machine",
    guard: async (tx) => {
      const now = await tx.replyTranslation.findMany({ where: { replyId: reply.id }, select: { language: true, kind: true } });
      if (humanExists(now)) throw new AppError("translation_human_exists", "A person has translated this reply");
    },
  });
}
