/**
 * Translations of thread titles (docs/decisions/040-translations-of-replies.md), as replies':
 * one per thread and language, by a person or a machine, outdated when the title changes
 * (`sourceTitle`), translators shown under the thread's attribution level. A change goes out as
 * `thread:updated`, so open pages reload.
 */
import { Prisma, type AttributionLevel, type ThreadTitleTranslation } from "@prisma/client";
import { prisma, readRows } from "~/db.server";
import type { Lang } from "~/i18n/config";
import { assertCan, isStaff, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { categoryKeyOf, type ReplyAuthor } from "~/realtime/events";
import { publish } from "~/realtime/publish.server";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { otherLanguage } from "~/utils/language";
import { consume, createLimiter } from "~/utils/rate-limit.server";
import { singleton } from "~/utils/singleton.server";
import { publishUnreadCounts } from "../notifications.server";
import { participantNumberFor } from "../reply-rows.server";
import { indexThread } from "../search.server";
import { getThread, threadResource, threadState } from "../threads.server";
import { isPseudonymous, replyLevel, type Reader } from "../track2/attribution.server";
import { assertMachineTranslationAllowed, machineTranslateHtml } from "./machine.server";
import { presentTranslator, shownKind } from "./present.server";
import { notifyTranslationRequested } from "./requests.server";

const titleLimiter = singleton("limiter:title-translation", () => createLimiter({ keyPrefix: "crn:title-translation", points: 20, duration: 60 }));

export const titleTranslationInclude = { translator: { select: { id: true, displayName: true } } } as const;
type TitleTranslationRow = Prisma.ThreadTitleTranslationGetPayload<{ include: typeof titleTranslationInclude }>;

/** A thread's title as one reader sees it: in their language where a translation exists. */
export interface TitleView {
  /** What to show as the title. */
  title: string;
  /** The title as written, and its language. */
  original: string;
  language: Lang;
  /** The translation shown, if `title` is one. */
  translation: { language: Lang; kind: "human" | "machine"; translator: ReplyAuthor | null; outdated: boolean } | null;
  /** Someone asked for the title to be translated and nobody has yet. */
  requested: boolean;
  /** The translation into the other language than the title's, whoever reads (for "improve"). */
  target: { title: string; kind: "human" | "machine"; mine: boolean } | null;
}

/**
 * The title for a reader in `locale`: a translation into it, else the thread's own Chinese title
 * where one was given with the thread (older threads), else the title as written.
 */
export function presentTitle(
  thread: { titleEn: string; titleZh: string; titleLanguage: Lang; titleTranslationRequestedAt?: Date | null },
  rows: TitleTranslationRow[],
  locale: Lang,
  reader: Reader,
  level: AttributionLevel,
): TitleView {
  const original = thread.titleEn;
  const row = locale !== thread.titleLanguage ? rows.find((r) => r.language === locale) : undefined;
  const targetRow = rows.find((r) => r.language !== thread.titleLanguage);
  // An English title given with its Chinese title (older threads) has its Chinese version already.
  const given = thread.titleLanguage === "en" && thread.titleZh ? { title: thread.titleZh, kind: "human" as const, mine: false } : null;
  const target = targetRow ? { title: targetRow.title, kind: shownKind(targetRow.kind), mine: reader.id !== null && targetRow.translatorId === reader.id } : given;
  const requested = Boolean(thread.titleTranslationRequestedAt) && target === null;
  if (row) {
    return {
      title: row.title,
      original,
      language: thread.titleLanguage,
      translation: {
        language: row.language,
        kind: shownKind(row.kind),
        translator: presentTranslator(reader, row, replyLevel(row.attributionLevel, level)),
        outdated: row.sourceTitle !== original,
      },
      requested,
      target,
    };
  }
  const shown = locale === "zh" && thread.titleZh ? thread.titleZh : original;
  return { title: shown, original, language: thread.titleLanguage, translation: null, requested, target };
}

/**
 * The title translations of these threads, by thread id. One plain SQL statement: the thread page
 * (the most-read page) asks on every view, and a Prisma call is compiled on every call (decision 038).
 */
export async function titleTranslations(threadIds: string[]): Promise<Map<string, TitleTranslationRow[]>> {
  const raw = threadIds.length
    ? await readRows<Omit<TitleTranslationRow, "translator"> & { translatorName: string | null }>(Prisma.sql`
        SELECT t.thread_id AS "threadId", t.language::text AS language, t.title, t.kind::text AS kind, t.translator_id AS "translatorId",
          t.source_title AS "sourceTitle", t.attribution_level::text AS "attributionLevel", t.participant_number AS "participantNumber",
          t.created_at AS "createdAt", t.updated_at AS "updatedAt", u.display_name AS "translatorName"
        FROM thread_title_translations t LEFT JOIN users u ON u.id = t.translator_id
        WHERE t.thread_id = ANY(${threadIds}::text[])
        ORDER BY t.language`)
    : [];
  const rows: TitleTranslationRow[] = raw.map(({ translatorName, ...row }) => ({
    ...row,
    translator: row.translatorId && translatorName !== null ? { id: row.translatorId, displayName: translatorName } : null,
  }));
  const byThread = new Map<string, TitleTranslationRow[]>();
  for (const row of rows) byThread.set(row.threadId, [...(byThread.get(row.threadId) ?? []), row]);
  return byThread;
}

type LoadedThread = Awaited<ReturnType<typeof getThread>>;

async function storeTitle(actor: Actor, thread: LoadedThread, language: Lang, title: string, kind: "human" | "machine", guard?: (tx: Prisma.TransactionClient) => Promise<void>) {
  const level = thread.access.level;
  await prisma.$transaction(async (tx) => {
    // The thread's row lock orders saves of its title translations.
    await tx.$executeRaw`SELECT 1 FROM threads WHERE id = ${thread.id} FOR UPDATE`;
    await guard?.(tx);
    const participantNumber = isPseudonymous(level) ? await participantNumberFor(tx, thread.id, actor.id) : 0;
    const data = { title, kind, translatorId: actor.id, sourceTitle: thread.titleEn, attributionLevel: level, participantNumber, updatedAt: new Date() };
    await tx.threadTitleTranslation.upsert({
      where: { threadId_language: { threadId: thread.id, language } },
      create: { threadId: thread.id, language, ...data },
      update: data,
    });
    // Lists, digests and dialogue pages show `title_zh` to Chinese readers: keep it the translation.
    await tx.thread.update({ where: { id: thread.id }, data: { titleTranslationRequestedAt: null, ...(language === "zh" && thread.titleLanguage === "en" ? { titleZh: title } : {}) } });
    await indexThread(tx, thread.id);
  });
  publishThread(thread.id);
}

async function publishThread(threadId: string) {
  const fresh = await prisma.thread.findUnique({ where: { id: threadId } });
  if (fresh) publish({ type: "thread.updated", state: threadState(fresh), categoryKeys: [categoryKeyOf(fresh.dialogueId)] });
}

/**
 * Adds or improves the title's translation into `language`; anyone who may read the thread.
 * @throws AppError unauthenticated | suspended | not_found | translation_original_language | rate_limited
 */
export async function translateTitle(actor: Actor | null, input: ParsedCommandInput<"thread.translateTitle">): Promise<{ threadId: string; language: Lang }> {
  const thread = await getThread(actor, input.threadId);
  assertCan(actor, "thread.translate", threadResource(thread, thread.access));
  if (input.language === thread.titleLanguage) throw new AppError("translation_original_language", "The title is written in this language", "language");
  if (!isStaff(actor)) await consume(titleLimiter, actor.id);
  await storeTitle(actor, thread, input.language, input.title, "human");
  return { threadId: thread.id, language: input.language };
}

/**
 * Removes the title's translation into `language`: the thread's author, the translator or staff.
 * @throws AppError unauthenticated | suspended | not_found | forbidden
 */
export async function untranslateTitle(actor: Actor | null, input: ParsedCommandInput<"thread.untranslateTitle">): Promise<{ threadId: string; language: Lang }> {
  const thread = await getThread(actor, input.threadId);
  const row = await prisma.threadTitleTranslation.findUnique({ where: { threadId_language: { threadId: thread.id, language: input.language } } });
  if (!row) throw new AppError("not_found", "No translation in this language", "language");
  assertCan(actor, "titleTranslation.remove", { thread: threadResource(thread, thread.access), translatorId: row.translatorId });
  await prisma.$transaction(async (tx) => {
    await tx.threadTitleTranslation.deleteMany({ where: { threadId: thread.id, language: input.language } });
    if (input.language === "zh" && thread.titleZh === row.title) await tx.thread.update({ where: { id: thread.id }, data: { titleZh: "" } });
    await indexThread(tx, thread.id);
  });
  publishThread(thread.id);
  return { threadId: thread.id, language: input.language };
}

/**
 * Asks for the title to be translated (the queue lists it first; followers are told once).
 * @throws AppError unauthenticated | suspended | not_found | rate_limited
 */
export async function requestTitleTranslation(actor: Actor | null, input: ParsedCommandInput<"thread.requestTitleTranslation">): Promise<{ threadId: string; requested: boolean }> {
  const thread = await getThread(actor, input.threadId);
  assertCan(actor, "thread.translate", threadResource(thread, thread.access));
  const target = otherLanguage(thread.titleLanguage);
  const done = (await prisma.threadTitleTranslation.findUnique({ where: { threadId_language: { threadId: thread.id, language: target } } })) ?? (target === "zh" && thread.titleZh ? thread.titleZh : null);
  if (done || thread.titleTranslationRequestedAt) return { threadId: thread.id, requested: !done };
  if (!isStaff(actor)) await consume(titleLimiter, actor.id);
  const notified = await prisma.$transaction(async (tx) => {
    const claimed = await tx.thread.updateMany({ where: { id: thread.id, titleTranslationRequestedAt: null }, data: { titleTranslationRequestedAt: new Date() } });
    return claimed.count === 1 ? notifyTranslationRequested(tx, { actorId: actor.id, threadId: thread.id, replyId: null, language: target }) : [];
  });
  await publishUnreadCounts(notified);
  publishThread(thread.id);
  return { threadId: thread.id, requested: true };
}

/**
 * A machine translation of the title into the other language (rules as for replies).
 * @throws AppError as machineTranslateReply
 */
export async function machineTranslateTitle(actor: Actor | null, input: ParsedCommandInput<"thread.machineTranslateTitle">): Promise<{ threadId: string; language: Lang }> {
  const thread = await getThread(actor, input.threadId);
  assertCan(actor, "thread.translate", threadResource(thread, thread.access));
  await assertMachineTranslationAllowed(thread.access.level, thread.dialogueId);
  const target = otherLanguage(thread.titleLanguage);
  const human = (row: Pick<ThreadTitleTranslation, "kind"> | null) => row?.kind === "human";
  const existing = await prisma.threadTitleTranslation.findUnique({ where: { threadId_language: { threadId: thread.id, language: target } } });
  if (human(existing) || (!existing && target === "zh" && thread.titleZh)) throw new AppError("translation_human_exists", "A person has translated this title");
  if (!isStaff(actor)) await consume(titleLimiter, actor.id);
  const translated = (await machineTranslateHtml(thread.titleEn, thread.titleLanguage, target, "text")).replace(/\s+/g, " ").trim().slice(0, 200);
  if (!translated) throw new AppError("machine_translation_failed", "The translation service gave no translation");
  await storeTitle(actor, thread, target, translated, "machine", async (tx) => {
    const now = await tx.threadTitleTranslation.findUnique({ where: { threadId_language: { threadId: thread.id, language: target } } });
    if (human(now)) throw new AppError("translation_human_exists", "A person has translated this title");
  });
  return { threadId: thread.id, language: target };
}
