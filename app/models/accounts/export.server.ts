/**
 * A member's own data as one JSON file (GDPR Art. 15 right of access and Art. 20 portability;
 * PIPL Art. 45): profile, sessions (devices and times, never a token or its hash), threads
 * started, replies with every earlier revision, translations they made, case studies with every language version,
 * versions written for others' case studies, comments, notes they own or edit (as Markdown),
 * note comments, endorsements, watches, notifications, participation requests, attributed survey
 * responses and survey drafts, flags and uploads (metadata and their address). Never the password hash.
 *
 * Streamed: each section is read in keyset batches of EXPORT_BATCH rows and written as it is
 * read, so a member with 10,000 replies starts downloading at once and the server never holds
 * the whole file. Members download their own (`GET /settings/data.json`); an admin may export a
 * member's on request, which is logged with the reason (docs/decisions/017-own-data.md).
 */
import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import { DELETED_MEMBER_ID } from "~/utils/deleted-member";
import { AppError } from "~/utils/errors";
import { logger } from "~/utils/logger.server";
import { z } from "~/utils/validation";
import { logStaffAction } from "../moderation.server";
import { noteBodyMarkdown } from "../note-export.server";

export const EXPORT_FORMAT = "coal-regions-network/member-data/1";
export const EXPORT_BATCH = 500;

export interface DataExport {
  filename: string;
  stream: ReadableStream<Uint8Array>;
}

/** Rows of one section, read in keyset batches by id (a stable order that needs no offset). */
async function* byId<T extends { id: string }>(fetch: (after: string | undefined) => Promise<T[]>): AsyncGenerator<T[]> {
  let after: string | undefined;
  for (;;) {
    const rows = await fetch(after);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < EXPORT_BATCH) return;
    after = rows[rows.length - 1]!.id;
  }
}

const page = (after: string | undefined) => ({
  orderBy: { id: "asc" as const },
  take: EXPORT_BATCH,
  ...(after ? { cursor: { id: after }, skip: 1 } : {}),
});

/** `,"name":[…]` written batch by batch. */
async function* section(name: string, batches: AsyncIterable<unknown[]>): AsyncGenerator<string> {
  yield `,\n  ${JSON.stringify(name)}: [`;
  let first = true;
  for await (const rows of batches) {
    if (rows.length === 0) continue;
    yield (first ? "\n    " : ",\n    ") + rows.map((row) => JSON.stringify(row)).join(",\n    ");
    first = false;
  }
  yield first ? "]" : "\n  ]";
}

/** A section small enough to read at once (a member has one of each, or a handful). */
async function* all<T>(rows: Promise<T[]>): AsyncGenerator<T[]> {
  yield await rows;
}

const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;

/** Every chunk of the file, in order. */
async function* chunks(userId: string, publicUrl: string): AsyncGenerator<string> {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      displayName: true,
      nameLatin: true,
      nameChinese: true,
      organisation: true,
      title: true,
      languages: true,
      bio: true,
      locale: true,
      role: true,
      createdAt: true,
      suspendedUntil: true,
      suspendedReason: true,
      deactivatedAt: true,
      region: { select: { slug: true, nameEn: true, nameZh: true, country: true } },
    },
  });
  if (!user) throw new AppError("not_found");
  yield `{\n  "format": ${JSON.stringify(EXPORT_FORMAT)},\n  "exportedAt": ${JSON.stringify(new Date().toISOString())},\n  "site": ${JSON.stringify(publicUrl)},\n  "profile": ${JSON.stringify(user)}`;

  yield* section(
    "sessions",
    all(
      prisma.session
        .findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { createdAt: true, lastSeenAt: true, expiresAt: true, userAgent: true, ipAddress: true } })
        .then((rows) => rows.map((s) => ({ ...s }))),
    ),
  );

  yield* section(
    "threadsStarted",
    byId((after) =>
      prisma.thread.findMany({
        where: { authorId: userId },
        ...page(after),
        select: { id: true, titleEn: true, titleZh: true, createdAt: true, deletedAt: true, dialogue: { select: { slug: true } } },
      }),
    ),
  );

  yield* section(
    "replies",
    (async function* () {
      for await (const rows of byId((after) =>
        prisma.reply.findMany({
          where: { authorId: userId },
          ...page(after),
          select: {
            id: true,
            threadId: true,
            postNumber: true,
            text: true,
            content: true,
            createdAt: true,
            editedAt: true,
            deletedAt: true,
            hiddenAt: true,
            hiddenReason: true,
            thread: { select: { titleEn: true, titleZh: true } },
          },
        }),
      )) {
        const revisions = await prisma.replyRevision.findMany({
          where: { replyId: { in: rows.map((r) => r.id) } },
          orderBy: [{ replyId: "asc" }, { revision: "asc" }],
          select: { replyId: true, revision: true, text: true, content: true, createdAt: true },
        });
        const byReply = new Map<string, Omit<(typeof revisions)[number], "replyId">[]>();
        for (const { replyId, ...revision } of revisions) byReply.set(replyId, [...(byReply.get(replyId) ?? []), revision]);
        yield rows.map((r) => ({ ...r, url: `${publicUrl}/threads/${r.threadId}?after=${Math.max(r.postNumber - 1, 0)}#post-${r.postNumber}`, revisions: byReply.get(r.id) ?? [] }));
      }
    })(),
  );

  yield* section(
    "caseStudies",
    byId((after) =>
      prisma.caseStudy.findMany({
        where: { authorId: userId },
        ...page(after),
        select: {
          id: true,
          status: true,
          isPublic: true,
          createdAt: true,
          updatedAt: true,
          publishedAt: true,
          deletedAt: true,
          versions: {
            orderBy: { language: "asc" },
            select: { language: true, title: true, summary: true, text: true, content: true, translation: true, createdAt: true, updatedAt: true, authorId: true },
          },
        },
      }).then((rows) => rows.map((cs) => ({ ...cs, versions: cs.versions.map(({ authorId, ...v }) => ({ ...v, writtenByYou: authorId === userId })) }))),
    ),
  );

  yield* section(
    "caseStudyVersionsForOthers",
    byId((after) =>
      prisma.caseStudyVersion.findMany({
        where: { authorId: userId, caseStudy: { authorId: { not: userId } } },
        ...page(after),
        select: { id: true, caseStudyId: true, language: true, title: true, summary: true, text: true, content: true, translation: true, createdAt: true, updatedAt: true },
      }),
    ),
  );

  yield* section(
    "caseStudyComments",
    byId((after) =>
      prisma.caseStudyComment.findMany({
        where: { authorId: userId },
        ...page(after),
        select: { id: true, caseStudyId: true, text: true, content: true, createdAt: true, editedAt: true, deletedAt: true },
      }),
    ),
  );

  yield* section(
    "notes",
    (async function* () {
      for await (const rows of byId((after) =>
        prisma.noteMember.findMany({
          where: { userId, role: { in: ["owner", "editor"] } },
          orderBy: { noteId: "asc" },
          take: EXPORT_BATCH,
          ...(after ? { cursor: { noteId_userId: { noteId: after, userId } }, skip: 1 } : {}),
          select: { noteId: true, role: true, note: { select: { id: true, title: true, language: true, createdAt: true, updatedAt: true } } },
        }).then((members) => members.map((m) => ({ id: m.noteId, role: m.role, note: m.note }))),
      )) {
        const notes = [];
        // One at a time: a note's document is loaded from its snapshot and updates.
        for (const row of rows) notes.push({ ...row.note, role: row.role, markdown: await noteBodyMarkdown(row.note) });
        yield notes;
      }
    })(),
  );

  yield* section(
    "noteComments",
    byId((after) =>
      prisma.noteComment.findMany({
        where: { authorId: userId },
        ...page(after),
        select: { id: true, body: true, createdAt: true, editedAt: true, deletedAt: true, thread: { select: { id: true, noteId: true, quote: true } } },
      }),
    ),
  );

  // Translations the member made (docs/decisions/040): of replies, thread titles and comments.
  yield* section(
    "replyTranslations",
    byId((after) =>
      prisma.replyTranslation.findMany({
        where: { translatorId: userId },
        ...page(after),
        select: { id: true, replyId: true, language: true, kind: true, text: true, content: true, sourceRevision: true, createdAt: true, updatedAt: true },
      }),
    ),
  );
  yield* section(
    "titleTranslations",
    all(prisma.threadTitleTranslation.findMany({ where: { translatorId: userId }, orderBy: { createdAt: "asc" }, select: { threadId: true, language: true, kind: true, title: true, createdAt: true, updatedAt: true } })),
  );
  yield* section(
    "commentTranslations",
    byId((after) =>
      prisma.commentTranslation.findMany({
        where: { translatorId: userId },
        ...page(after),
        select: { id: true, caseStudyCommentId: true, noteCommentId: true, language: true, kind: true, text: true, createdAt: true, updatedAt: true },
      }),
    ),
  );

  yield* section(
    "endorsements",
    all(prisma.endorsement.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { caseStudyId: true, createdAt: true } })),
  );

  yield* section(
    "watches",
    all(
      Promise.all([
        prisma.threadWatch.findMany({ where: { userId }, select: { threadId: true, level: true, updatedAt: true } }),
        prisma.categoryWatch.findMany({ where: { userId }, select: { categoryKey: true, level: true, updatedAt: true } }),
      ]).then(([threads, categories]) => [
        ...threads.map((w) => ({ kind: "thread", ...w })),
        ...categories.map((w) => ({ kind: "category", ...w })),
      ]),
    ),
  );

  yield* section(
    "notifications",
    byId((after) =>
      prisma.notification.findMany({
        where: { userId },
        ...page(after),
        select: { id: true, type: true, threadId: true, replyId: true, count: true, data: true, createdAt: true, updatedAt: true, readAt: true },
      }),
    ),
  );

  yield* section(
    "participationRequests",
    byId((after) =>
      prisma.participationRequest.findMany({
        where: { userId },
        ...page(after),
        select: { id: true, name: true, email: true, organisation: true, message: true, createdAt: true, dialogue: { select: { slug: true, titleEn: true, titleZh: true } } },
      }),
    ),
  );

  // Attributed survey responses and every unsubmitted draft; anonymous responses hold nothing
  // that links them to the member, so they cannot be (and are not) part of this file.
  yield* section(
    "surveyResponses",
    byId((after) =>
      prisma.surveyResponse.findMany({
        where: { userId },
        ...page(after),
        select: { id: true, answers: true, locale: true, submittedAt: true, updatedAt: true, survey: { select: { id: true, titleEn: true, titleZh: true } } },
      }),
    ),
  );

  yield* section(
    "surveyDrafts",
    all(
      prisma.surveyDraft.findMany({
        where: { respondentKey: `user:${userId}` },
        orderBy: { updatedAt: "asc" },
        select: { answers: true, updatedAt: true, survey: { select: { id: true, titleEn: true, titleZh: true } } },
      }),
    ),
  );

  yield* section(
    "flags",
    byId((after) =>
      prisma.flag.findMany({ where: { flaggerId: userId }, ...page(after), select: { id: true, replyId: true, reason: true, note: true, status: true, createdAt: true } }),
    ),
  );

  yield* section(
    "uploads",
    byId((after) =>
      prisma.upload
        .findMany({
          where: { ownerId: userId },
          ...page(after),
          select: { id: true, contentType: true, size: true, originalName: true, width: true, height: true, createdAt: true },
        })
        .then((rows) => rows.map((u) => ({ ...u, url: `${publicUrl}/uploads/${u.id}` }))),
    ),
  );

  yield "\n}\n";
}

/** The chunks as a byte stream that reads the next one only when the client wants more. */
function toStream(userId: string, generator: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await generator.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        // Headers are gone by now: the download ends early, and the log says why.
        logger.error({ err: error, userId }, "data export failed while streaming");
        controller.error(error);
      }
    },
    async cancel() {
      await generator.return(undefined);
    },
  });
}

function exportFilename(): string {
  return `coal-regions-network-my-data-${new Date().toISOString().slice(0, 10)}.json`;
}

/**
 * The acting member's own data (GDPR Art. 15 and 20; PIPL Art. 45).
 * @param publicUrl the site's origin, for the addresses of replies and uploads
 * @throws AppError unauthenticated | suspended
 */
export function exportOwnData(actor: Actor | null, publicUrl: string): DataExport {
  assertCan(actor, "account.own");
  logger.info({ event: "account.export", userId: actor.id }, "member exported their data");
  return { filename: exportFilename(), stream: toStream(actor.id, chunks(actor.id, publicUrl)) };
}

export const adminExportInput = z.object({ reason: z.string().trim().min(1).max(500) });

/**
 * A member's data for an admin acting on the member's request; the export is logged (who,
 * whose, why) before anything is sent.
 * @throws AppError unauthenticated | suspended | forbidden | not_found | validation (reason)
 */
export async function exportMemberData(actor: Actor | null, input: { userId: string; reason: unknown }, publicUrl: string): Promise<DataExport> {
  assertCan(actor, "member.list");
  const target = input.userId === DELETED_MEMBER_ID ? null : await prisma.user.findUnique({ where: { id: input.userId }, select: { id: true, role: true } });
  if (!target) throw new AppError("not_found");
  assertCan(actor, "member.manage", target);
  const parsed = adminExportInput.safeParse({ reason: input.reason });
  if (!parsed.success) throw new AppError("validation", parsed.error.issues[0]?.message ?? "required", "reason");
  await prisma.$transaction((tx: Prisma.TransactionClient) =>
    logStaffAction(tx, { actorId: actor.id, action: "member.export", targetType: "user", targetId: target.id, reason: parsed.data.reason }),
  );
  return { filename: exportFilename(), stream: toStream(target.id, chunks(target.id, publicUrl)) };
}
