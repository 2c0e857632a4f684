/**
 * Case-study topics (English and Chinese names, an order), managed by admins: create, rename,
 * move up or down, delete when no case study uses it.
 */
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { assertCan, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";

/** Every topic in display order, with how many case studies use it (deleted ones too: they could be restored). */
export async function listTopics(actor: Actor | null) {
  assertCan(actor, "topic.manage");
  const topics = await prisma.topic.findMany({
    orderBy: [{ position: "asc" }, { slug: "asc" }],
    include: { _count: { select: { caseStudies: true } } },
  });
  return topics.map((t) => ({ id: t.id, slug: t.slug, nameEn: t.nameEn, nameZh: t.nameZh, position: t.position, uses: t._count.caseStudies }));
}

/** @throws AppError forbidden | topic_exists */
export async function createTopic(actor: Actor | null, input: ParsedCommandInput<"topic.create">) {
  assertCan(actor, "topic.manage");
  const last = await prisma.topic.aggregate({ _max: { position: true } });
  try {
    const topic = await prisma.topic.create({
      data: { id: newId(), slug: input.slug, nameEn: input.nameEn, nameZh: input.nameZh, position: (last._max.position ?? -1) + 1 },
    });
    return { topicId: topic.id };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new AppError("topic_exists", "Slug taken", "slug");
    throw error;
  }
}

/** @throws AppError forbidden | not_found */
export async function renameTopic(actor: Actor | null, input: ParsedCommandInput<"topic.rename">) {
  assertCan(actor, "topic.manage");
  const updated = await prisma.topic.updateMany({ where: { id: input.topicId }, data: { nameEn: input.nameEn, nameZh: input.nameZh } });
  if (updated.count === 0) throw new AppError("not_found");
  return { topicId: input.topicId };
}

/** Swaps the topic with its neighbour (positions renumbered 0…n-1 on the way). */
export async function moveTopic(actor: Actor | null, input: ParsedCommandInput<"topic.move">) {
  assertCan(actor, "topic.manage");
  return prisma.$transaction(async (tx) => {
    const topics = await tx.topic.findMany({ orderBy: [{ position: "asc" }, { slug: "asc" }] });
    const index = topics.findIndex((t) => t.id === input.topicId);
    if (index < 0) throw new AppError("not_found");
    const target = input.direction === "up" ? index - 1 : index + 1;
    if (target >= 0 && target < topics.length) [topics[index], topics[target]] = [topics[target]!, topics[index]!];
    for (const [position, topic] of topics.entries()) {
      if (topic.position !== position) await tx.topic.update({ where: { id: topic.id }, data: { position } });
    }
    return { topicId: input.topicId };
  });
}

/** @throws AppError forbidden | not_found | topic_in_use */
export async function deleteTopic(actor: Actor | null, input: ParsedCommandInput<"topic.delete">) {
  assertCan(actor, "topic.manage");
  return prisma.$transaction(async (tx) => {
    const topic = await tx.topic.findUnique({ where: { id: input.topicId }, include: { _count: { select: { caseStudies: true } } } });
    if (!topic) throw new AppError("not_found");
    // Any link counts, a deleted case study's too: it could be restored.
    if (topic._count.caseStudies > 0) throw new AppError("topic_in_use", "Topic in use", "topicId");
    await tx.topic.delete({ where: { id: topic.id } });
    return { topicId: topic.id, deleted: true };
  });
}
