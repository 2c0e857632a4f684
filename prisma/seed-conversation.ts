/**
 * A demo conversation for a local trial (the embedded database only, never a deployment), so a
 * newcomer sees each feature working: replies in English and Chinese in the demo threads (one
 * thread held under the Chatham House Rule), a case study with its Chinese version, a policy
 * note co-edited by two members, and an approved participant. Everything is marked "[Demo]" /
 * "[示例]". Written straight to the tables (the job queue is not running while the seed runs);
 * the search index is built from it right after, at start-up (backfillIfEmpty).
 * Idempotent: does nothing once the demo case study exists.
 */
import type { Prisma, PrismaClient } from "@prisma/client";
import * as Y from "yjs";
import { NOTE_FIELD } from "../app/editor/note-schema";
import { newId } from "../app/utils/ids.server";
import { primaryLanguage } from "../app/utils/language";

const DEMO_CASE_STUDY = "demo-case-study-mine-to-solar";

type Db = PrismaClient | Prisma.TransactionClient;

function doc(paragraphs: string[]) {
  return { type: "doc", content: paragraphs.map((text) => ({ type: "paragraph", content: [{ type: "text", text }] })) };
}

/** Appends a reply the way insertReply does: next post number, the author's pseudonym number, the level now. */
async function addReply(db: Db, threadId: string, authorId: string, paragraphs: string[], minutesAgo: number) {
  const createdAt = new Date(Date.now() - minutesAgo * 60_000);
  const [bumped] = await db.$queryRaw<{ last: number; seq: number; level: "on_record" | "chatham_house" | "off_the_record" }[]>`
    UPDATE threads SET last_post_number = last_post_number + 1, reply_count = reply_count + 1, change_seq = change_seq + 1,
      last_activity_at = GREATEST(last_activity_at, ${createdAt})
    WHERE id = ${threadId}
    RETURNING last_post_number AS last, change_seq AS seq,
      COALESCE(attribution_level, (SELECT d.attribution_level FROM dialogues d WHERE d.id = threads.dialogue_id), 'on_record') AS level`;
  const [participant] = await db.$queryRaw<{ number: number }[]>`
    WITH added AS (
      INSERT INTO thread_participants (thread_id, user_id, number)
      SELECT ${threadId}, ${authorId}, COALESCE(MAX(number), 0) + 1 FROM thread_participants WHERE thread_id = ${threadId}
      ON CONFLICT (thread_id, user_id) DO NOTHING RETURNING number)
    SELECT number FROM added UNION ALL SELECT number FROM thread_participants WHERE thread_id = ${threadId} AND user_id = ${authorId}`;
  await db.reply.create({
    data: {
      id: newId(),
      threadId,
      authorId,
      postNumber: bumped!.last,
      changeSeq: bumped!.seq,
      content: doc(paragraphs) as Prisma.InputJsonValue,
      text: paragraphs.join("\n\n"),
      language: primaryLanguage(paragraphs.join("\n\n")),
      attributionLevel: bumped!.level,
      participantNumber: participant!.number,
      createdAt,
    },
  });
  await db.threadRead.upsert({
    where: { userId_threadId: { userId: authorId, threadId } },
    create: { userId: authorId, threadId, lastReadPostNumber: bumped!.last },
    update: { lastReadPostNumber: bumped!.last },
  });
}

/** The note's Yjs state: a heading and paragraphs, written by one member then continued by another. */
function noteUpdates(title: string, first: string[], second: string[]) {
  const ydoc = new Y.Doc({ gc: false });
  const fragment = ydoc.getXmlFragment(NOTE_FIELD);
  const heading = new Y.XmlElement("heading");
  heading.setAttribute("level", 1 as unknown as string);
  heading.insert(0, [new Y.XmlText(title)]);
  const paragraph = (text: string) => {
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText(text)]);
    return p;
  };
  fragment.insert(0, [heading, ...first.map(paragraph)]);
  const byFirst = Y.encodeStateAsUpdate(ydoc);
  const vector = Y.encodeStateVector(ydoc);
  fragment.insert(fragment.length, second.map(paragraph));
  const bySecond = Y.encodeStateAsUpdate(ydoc, vector);
  const state = Y.encodeStateAsUpdate(ydoc);
  const snapshot = Y.encodeSnapshot(Y.snapshot(ydoc));
  ydoc.destroy();
  return { byFirst, bySecond, state, snapshot };
}

export async function seedDemoConversation(prisma: PrismaClient): Promise<void> {
  if (await prisma.caseStudy.findUnique({ where: { id: DEMO_CASE_STUDY }, select: { id: true } })) return;
  const users = new Map((await prisma.user.findMany({ where: { email: { in: ["admin@example.org", "moderator@example.org", "member.us@example.org", "member.cn@example.org"] } } })).map((u) => [u.email, u]));
  const admin = users.get("admin@example.org");
  const moderator = users.get("moderator@example.org");
  const us = users.get("member.us@example.org");
  const cn = users.get("member.cn@example.org");
  if (!admin || !moderator || !us || !cn) return;
  const dialogues = new Map((await prisma.dialogue.findMany({ include: { threads: { take: 1, orderBy: { createdAt: "asc" } }, regions: true } })).map((d) => [d.slug, d]));
  const threadOf = (slug: string) => dialogues.get(slug)?.threads[0]?.id;
  const regions = new Map((await prisma.region.findMany()).map((r) => [r.slug, r.id]));

  await prisma.$transaction(async (tx) => {
    // An on-the-record discussion in both languages.
    const diversification = threadOf("2024-09-23-economic-diversification");
    if (diversification) {
      await addReply(tx, diversification, us.id, ["[Demo] In Boone County we lost 40% of the county budget when the last mine closed. The community college's lineworker programme is the one thing that filled up at once."], 600);
      await addReply(tx, diversification, cn.id, ["[示例] 山西大同的经验类似:采煤沉陷区改建光伏基地后,当地培训了三百多名运维人员。关键是培训与项目同步启动。"], 540);
      await addReply(tx, diversification, moderator.id, ["[Demo] Both examples tie training to a project that exists. Could each of you share how the first cohort was funded?"], 480);
      await addReply(tx, diversification, us.id, ["[Demo] State workforce money (WIOA) for the first two cohorts, then the utility paid for apprenticeships."], 420);
      await addReply(tx, diversification, cn.id, ["[示例] 第一期由省级专项资金支付,之后由光伏企业承担一半费用。我可以把培训方案翻译成英文分享。"], 360);
    }
    const finance = threadOf("2024-12-climate-finance");
    if (finance) {
      await addReply(tx, finance, admin.id, ["[Demo] Welcome to the climate finance discussion. The policy note linked on this dialogue collects the options raised so far."], 300);
      await addReply(tx, finance, cn.id, ["[示例] 内蒙古正在试点把部分资源税收入用于转型基金,明年会有第一批项目。"], 240);
      await addReply(tx, finance, us.id, ["[Demo] West Virginia's severance tax already funds a small future fund; the question is whether counties can draw on it directly."], 180);
      await addReply(tx, finance, moderator.id, ["[Demo] That question — direct county access — might be worth proposing as an outcome."], 120);
    }
    // A Track 2 session held under the Chatham House Rule: readers see "Participant 1, 2, 3".
    const session = threadOf("2021-dialogue-1-coal-economy-overview");
    if (session) {
      await addReply(tx, session, cn.id, ["[示例] 我们省的财政对煤炭的依赖程度比公开数字显示的更高,因为很多地方收入来自相关服务业。"], 100);
      await addReply(tx, session, us.id, ["[Demo] Same here: county budgets count coal property tax, but school funding depends on it too."], 90);
      await addReply(tx, session, moderator.id, ["[Demo] Under the rule, these points can be used in the summary without saying who made them."], 80);
    }

    // A case study written in Chinese, with its English translation by another member.
    await tx.caseStudy.create({
      data: {
        id: DEMO_CASE_STUDY,
        authorId: cn.id,
        status: "published",
        isPublic: true,
        publishedAt: new Date(Date.now() - 3 * 86_400_000),
        regions: { create: [{ regionId: regions.get("shanxi")! }] },
        versions: {
          create: [
            {
              id: newId(),
              language: "zh",
              title: "[示例] 从煤矿到光伏:大同采煤沉陷区的转型",
              summary: "采煤沉陷区改建为光伏基地,并同步培训当地工人。",
              content: doc(["[示例] 大同市在采煤沉陷区建设了光伏领跑者基地。", "项目与职业学校合作,培训当地工人从事运维工作。"]) as Prisma.InputJsonValue,
              text: "[示例] 大同市在采煤沉陷区建设了光伏领跑者基地。\n\n项目与职业学校合作,培训当地工人从事运维工作。",
              authorId: cn.id,
              translation: "original",
            },
            {
              id: newId(),
              language: "en",
              title: "[Demo] From coal mine to solar: Datong's subsidence area",
              summary: "A mining subsidence area turned into a solar base, with local workers trained alongside.",
              content: doc(["[Demo] Datong built a solar 'Top Runner' base on land left unstable by mining.", "The project partnered with vocational schools to train local workers in operations and maintenance."]) as Prisma.InputJsonValue,
              text: "[Demo] Datong built a solar 'Top Runner' base on land left unstable by mining.\n\nThe project partnered with vocational schools to train local workers in operations and maintenance.",
              authorId: us.id,
              translation: "human",
            },
          ],
        },
      },
    });

    // A policy note co-edited by a U.S. and a Chinese member.
    const noteId = "demo-note-county-fund";
    const title = "[Demo] Options for county access to transition funds";
    const { byFirst, bySecond, state, snapshot } = noteUpdates(
      title,
      ["Option 1: counties apply to the state future fund for diversification projects."],
      ["方案二:资源税收入按比例直接划拨给产煤县。(Option 2: a share of resource tax revenue goes to producing counties directly.)"],
    );
    await tx.note.create({
      data: {
        id: noteId,
        title,
        ownerId: us.id,
        dialogueId: dialogues.get("2024-12-climate-finance")?.id ?? null,
        stateVector: Buffer.from(Y.encodeStateVectorFromUpdate(state)),
        members: { create: [{ userId: us.id, role: "owner" }, { userId: cn.id, role: "editor" }, { userId: moderator.id, role: "commenter" }] },
        regions: { create: [{ regionId: regions.get("west-virginia")! }, { regionId: regions.get("inner-mongolia")! }] },
      },
    });
    await tx.noteUpdate.create({ data: { noteId, data: Buffer.from(byFirst), userId: us.id } });
    await tx.noteUpdate.create({ data: { noteId, data: Buffer.from(bySecond), userId: cn.id } });
    await tx.noteVersion.create({ data: { id: newId(), noteId, kind: "created", snapshot: Buffer.from(snapshot), authorId: us.id } });

    // An approved participant (a speaker) in the coming dialogue, and a request waiting for staff.
    const coming = dialogues.get("2025-dialogue-3");
    if (coming) {
      await tx.participationRequest.create({
        data: { id: newId(), dialogueId: coming.id, userId: cn.id, name: cn.displayName, email: cn.email, organisation: cn.organisation, locale: "zh", status: "approved", role: "speaker", decidedAt: new Date(), decidedById: admin.id },
      });
      await tx.participationRequest.create({
        data: { id: newId(), dialogueId: coming.id, userId: us.id, name: us.displayName, email: us.email, organisation: us.organisation, message: "[Demo] I would like to present our county's experience.", locale: "en" },
      });
    }
  });
}
