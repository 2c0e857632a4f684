/**
 * Every kind of email, once for a member who reads English and once for one who reads Chinese,
 * received over real SMTP and read with mailparser: the subject in the member's language, a text
 * and an HTML part saying the same (the HTML's `lang`), every link absolute to PUBLIC_URL and
 * answering when followed over HTTP, `List-Unsubscribe` (with its one-click POST header) on the
 * non-essential kinds only, and the thread headers on thread emails. (Invitations carry both
 * languages and digests are tested with their schedule in their own files.)
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { createStudy } from "../helpers/case-studies";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, dialogueBySlug, insertThread, openPrisma, paragraphDoc, type TestMember } from "../helpers/factories";
import { get, languageCookie, postForm } from "../helpers/http";
import { sendMail, startMailSink, type MailSink, type ReceivedMail } from "../helpers/mail";
import { startServer, type RunningServer } from "../helpers/server";

const HOUR = 60 * 60 * 1000;

type Lang = "en" | "zh";
const SUBJECTS: Record<string, Record<Lang, RegExp>> = {
  test: { en: /^Test email from the Coal Regions Network$/, zh: /^煤炭地区网络测试邮件$/ },
  password_reset: { en: /^Reset your password$/, zh: /^重置您的密码$/ },
  password_changed: { en: /^Your password was changed$/, zh: /^您的密码已更改$/ },
  email_change_confirm: { en: /^Confirm your new email address$/, zh: /^确认您的新邮箱地址$/ },
  email_change_notice: { en: /^A change of your email address was requested$/, zh: /^有人申请更改您的邮箱地址$/ },
  thread: { en: /^\[Coal Regions Network\] Kinds thread$/, zh: /^\[煤炭地区网络\] 各类邮件讨论$/ },
  note_shared: { en: /shared a policy note with you: Kinds note$/, zh: /与您共享了政策笔记:Kinds note$/ },
  case_study_comment: { en: /^New comments on your case study: /, zh: /^您的案例研究有新评论:/ },
  reminder: { en: /^Tomorrow: /, zh: /^明天:/ },
  participation: { en: /^Your request to take part in /, zh: /^关于您参加/ },
  refused: { en: /^Your reply was not posted$/, zh: /^您的回复未能发布$/ },
};
const NON_ESSENTIAL = new Set(["thread", "note_shared", "case_study_comment", "reminder"]);

describe("every email kind in English and Chinese", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let sink: MailSink;
  let inboundPort: number;
  let writer: TestMember;
  let writerIn: SignedIn;
  let moderatorIn: SignedIn;
  const received: Record<Lang, Map<string, ReceivedMail>> = { en: new Map(), zh: new Map() };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    sink = await startMailSink();
    server = await startServer({ databaseUrl: database.url, env: { SMTP_URL: sink.url, EMAIL_DELAY_SECONDS: "1", EMAIL_TICK_SECONDS: "2", INBOUND_SMTP_PORT: "0", INBOUND_SMTP_HOST: "127.0.0.1" } });
    inboundPort = Number(/Reply by email: SMTP on port (\d+)/.exec(server.output())?.[1]);
    writer = await createMember(db, { displayName: "Writer" });
    writerIn = await signIn(server.url, writer.email, writer.password);
    const moderator = await createMember(db, { role: "moderator" });
    moderatorIn = await signIn(server.url, moderator.email, moderator.password);
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await sink?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  for (const lang of ["en", "zh"] as const) {
    it(`sends each kind to a member who reads ${lang === "en" ? "English" : "Chinese"}, in that language`, async () => {
      const member = await createMember(db, { role: "admin", locale: lang, displayName: lang === "en" ? "Ada Kinds" : "金秀", email: `kinds-${lang}@test.example`, region: lang === "en" ? "west-virginia" : "shaanxi" });
      const memberIn = await signIn(server.url, member.email, member.password);
      const to = (address: string) => (m: ReceivedMail) => m.to.includes(address);
      const expectKind = async (kind: string, address = member.email, extra: (m: ReceivedMail) => boolean = () => true) => {
        const mail = await sink.waitFor((m) => to(address)(m) && SUBJECTS[kind][lang].test(m.subject) && extra(m));
        received[lang].set(kind, mail);
        return mail;
      };

      // Test email (the admin's own language).
      await postForm(server.url, "/admin/email", { intent: "email.sendTest", to: "" }, { cookie: memberIn.cookie });
      await expectKind("test");

      // A thread email (a mention).
      const dialogue = await dialogueBySlug(db, "2024-09-23-economic-diversification");
      const thread = await insertThread(db, { authorId: writer.id, dialogueId: dialogue.id, title: "Kinds thread" });
      await db.thread.update({ where: { id: thread.id }, data: { titleZh: "各类邮件讨论" } });
      expect((await apiCommand(server.url, "reply.create", { threadId: thread.id, content: paragraphDoc("Mentioning ", { id: member.id, displayName: member.displayName }) }, { cookie: writerIn.cookie })).code).toBe("ok");
      const threadMail = await expectKind("thread");
      expect(threadMail.header("references")).toBe(`<thread-${thread.id}@localhost>`);

      // A refused reply by email (the thread is locked).
      expect((await apiCommand(server.url, "thread.lock", { threadId: thread.id }, { cookie: moderatorIn.cookie })).code).toBe("ok");
      await sendMail(inboundPort, { from: member.email, to: threadMail.header("reply-to"), subject: "Re", text: "Too late." });
      await expectKind("refused");

      // A shared note, a comment on one's case study.
      const note = await apiCommand(server.url, "note.create", { title: "Kinds note" }, { cookie: writerIn.cookie });
      expect((await apiCommand(server.url, "noteMember.add", { noteId: (note.result as { noteId: string }).noteId, member: member.email, role: "viewer" }, { cookie: writerIn.cookie })).code).toBe("ok");
      await expectKind("note_shared");
      const studyId = await createStudy(server.url, db, memberIn.cookie, { title: `Kinds study ${lang}`, language: lang });
      expect((await apiCommand(server.url, "caseStudyComment.create", { caseStudyId: studyId, body: "A comment." }, { cookie: writerIn.cookie })).code).toBe("ok");
      await expectKind("case_study_comment");

      // A dialogue reminder.
      const reminded = await db.dialogue.update({ where: { slug: lang === "en" ? "2025-dialogue-3" : "2024-12-climate-finance" }, data: { startsAt: new Date(Date.now() + 20 * HOUR), status: "scheduled", remindedAt: new Date() } });
      expect((await apiCommand(server.url, "category.watch", { categoryKey: `dialogue:${reminded.id}`, level: "watching" }, { cookie: memberIn.cookie })).code).toBe("ok");
      await db.dialogue.update({ where: { id: reminded.id }, data: { remindedAt: null } });
      await expectKind("reminder");

      // A participation decision, in the language of the page the request came from.
      const cookie = await languageCookie(server.url, lang);
      await postForm(server.url, `/dialogues/${dialogue.slug}`, { name: "Requester", email: `requester-${lang}@test.example`, organisation: "", message: "" }, { cookie });
      const request = await db.participationRequest.findFirstOrThrow({ where: { email: `requester-${lang}@test.example` } });
      await postForm(server.url, "/moderation/requests", { requestId: request.id, decision: "declined" }, { cookie: moderatorIn.cookie });
      await expectKind("participation", `requester-${lang}@test.example`);

      // Address change: the confirmation to the new address, the notice to the old.
      await postForm(server.url, "/settings", { intent: "email.change", newEmail: `kinds-${lang}-new@test.example`, password: member.password }, { cookie: memberIn.cookie });
      await expectKind("email_change_confirm", `kinds-${lang}-new@test.example`);
      await expectKind("email_change_notice");

      // Forgot password, then the notice that it changed.
      await postForm(server.url, "/forgot-password", { email: member.email });
      const reset = await expectKind("password_reset");
      const token = new URL(reset.links.find((l) => l.includes("/reset-password"))!).searchParams.get("token")!;
      await postForm(server.url, "/reset-password", { token, password: `Kinds-new-password-${lang}` });
      await expectKind("password_changed");

      const finalIn = await signIn(server.url, member.email, `Kinds-new-password-${lang}`);
      for (const [kind, mail] of received[lang]) {
        expect(mail.text.length, kind).toBeGreaterThan(40);
        expect(mail.html, kind).toMatch(new RegExp(`<html[^>]*lang="${lang === "zh" ? "zh-CN" : "en"}"`));
        if (lang === "zh") expect(mail.text, kind).toMatch(/\p{Script=Han}{4}/u);
        expect(mail.header("list-unsubscribe") !== "", `${kind}: List-Unsubscribe`).toBe(NON_ESSENTIAL.has(kind));
        if (NON_ESSENTIAL.has(kind)) expect(mail.header("list-unsubscribe-post"), kind).toBe("List-Unsubscribe=One-Click");
        expect(mail.links.length, `${kind} has links`).toBeGreaterThan(0);
        for (const link of mail.links) {
          expect(link.startsWith(server.url), `${kind}: ${link}`).toBe(true);
          const url = new URL(link);
          // "Forgot password?" is for people who are signed out (signed in, it leads to settings).
          const response = await get(server.url, url.pathname + url.search, { cookie: url.pathname === "/forgot-password" ? undefined : finalIn.cookie });
          // A page, or (the used reset link, a confirmation) a page saying the link is no longer valid.
          expect(response.status, `${kind}: GET ${url.pathname} answered ${response.status}`).toBe(200);
        }
      }
    }, 240_000);
  }
});
