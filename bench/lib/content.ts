/**
 * Realistic content for benchmarks: replies of two to four paragraphs with bold, italic, a link,
 * a list or a quote (English, Chinese or both, 300–900 characters), checked against the editor's
 * own schema (`parseReplyContent`), and threads of N such replies written in bulk.
 */
import type { Prisma, PrismaClient } from "@prisma/client";
import { parseReplyContent } from "~/editor/content.server";
import { newId } from "~/utils/ids.server";

type Node = { type: string; text?: string; attrs?: Record<string, unknown>; marks?: { type: string; attrs?: Record<string, unknown> }[]; content?: Node[] };

const EN = [
  "Gillette's community college retrained two hundred mine electricians for the new grid-storage plant,",
  "and the county kept its payroll tax base while the last longwall was decommissioned.",
  "Datong's reclamation office turned the waste heaps east of the city into a solar park,",
  "with former miners on the maintenance crews and a pension bridge for those over fifty.",
  "The question for our next dialogue is how the transition fund pays for housing as well as training.",
  "Several of us visited the methane capture pilot in Shanxi; the data-sharing agreement is still open.",
];
const ZH = [
  "大同的矿区复垦办公室把城东的矸石山改造成了光伏电站，",
  "原来的矿工加入了运维队伍，五十岁以上的职工有养老过渡安排。",
  "吉列特社区学院为新的储能工厂培训了两百名矿山电工，",
  "我们下一次对话的问题是转型基金如何同时支持住房和培训。",
];

function paragraph(parts: string[], mark?: string, link?: string): Node {
  const content: Node[] = [];
  parts.forEach((text, i) => {
    if (i === 1 && mark) content.push({ type: "text", text, marks: [{ type: mark }] });
    else if (i === 2 && link) content.push({ type: "text", text, marks: [{ type: "link", attrs: { href: link } }] });
    else content.push({ type: "text", text: (i ? " " : "") + text });
  });
  return { type: "paragraph", content };
}

/** The i-th reply document (deterministic), already normalised by the editor's schema. */
export function replyDoc(i: number): { content: Prisma.InputJsonValue; text: string } {
  const pick = (list: string[], k: number) => list[(i * 7 + k * 3) % list.length];
  const blocks: Node[] = [];
  const lang = i % 5 === 0 ? "zh" : i % 5 === 1 ? "both" : "en";
  if (lang !== "zh") blocks.push(paragraph([pick(EN, 0), pick(EN, 1), "the county's report", pick(EN, 2)], "bold", "https://example.org/reports/" + (i % 13)));
  if (lang !== "en") blocks.push(paragraph([pick(ZH, 0), pick(ZH, 1), pick(ZH, 2)], "italic"));
  if (i % 3 === 0) {
    blocks.push({
      type: "bulletList",
      content: [pick(EN, 3), pick(EN, 4)].map((text) => ({ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text }] }] })),
    });
  } else if (i % 3 === 1) {
    blocks.push({ type: "blockquote", content: [paragraph([pick(EN, 5)])] });
  }
  blocks.push(paragraph([pick(EN, 6), pick(EN, 7)], "italic"));
  const parsed = parseReplyContent({ content: { type: "doc", content: blocks } });
  return { content: parsed.content as Prisma.InputJsonValue, text: parsed.text };
}

/**
 * A thread (in the seeded programme's first dialogue) with `count` replies by `authorIds` in
 * turn, a second apart, counters set the way the app keeps them.
 */
export async function insertThreadWithReplies(prisma: PrismaClient, authorIds: string[], count: number, title = "Benchmark thread: retraining and reclamation"): Promise<string> {
  const dialogue = await prisma.dialogue.findFirst({ select: { id: true } });
  const start = Date.now() - count * 1000;
  const thread = await prisma.thread.create({
    data: { id: newId(), dialogueId: dialogue?.id ?? null, titleEn: title, titleZh: "基准测试：再培训与复垦", authorId: authorIds[0], createdAt: new Date(start - 1000) },
    select: { id: true },
  });
  const docs = Array.from({ length: 30 }, (_, i) => replyDoc(i));
  const rows = Array.from({ length: count }, (_, i) => ({
    id: newId(),
    threadId: thread.id,
    authorId: authorIds[i % authorIds.length],
    postNumber: i + 1,
    changeSeq: i + 1,
    ...docs[i % docs.length],
    createdAt: new Date(start + i * 1000),
  }));
  for (let i = 0; i < rows.length; i += 1000) await prisma.reply.createMany({ data: rows.slice(i, i + 1000) });
  await prisma.thread.update({
    where: { id: thread.id },
    data: { lastPostNumber: count, changeSeq: count, replyCount: count, lastActivityAt: rows[rows.length - 1]?.createdAt ?? new Date() },
  });
  return thread.id;
}
