/**
 * What an outbox row says, decided when it is sent (not when it was queued): each kind loads
 * what it is about, checks again that the recipient may still see it and still wants it, and
 * renders the email in the recipient's language and time zone. Nothing hidden, deleted or no
 * longer readable by the recipient is ever put in an email; a notification read on the site
 * meanwhile is not emailed (Discourse's "only if not seen").
 */
import type { EmailMessage, Locale, Prisma, User } from "@prisma/client";
import { createElement, type ReactElement } from "react";
import { prisma } from "~/db.server";
import { renderParts } from "~/emails/render.server";
import {
  CaseStudyCommentEmail,
  DialogueReminderEmail,
  DigestEmail,
  EmailChangeConfirmEmail,
  EmailChangeNoticeEmail,
  InvitationEmail,
  NoteSharedEmail,
  ParticipationDecidedEmail,
  PasswordChangedEmail,
  PasswordResetEmail,
  ReplyRefusedEmail,
  SurveyAnnouncementEmail,
  TestEmail,
  ThreadEmail,
  type FooterLinks,
  type PostItem,
  type Translate,
} from "~/emails/templates";
import { getFixedT } from "~/i18n/i18n.server";
import { can, isActive, type Actor } from "~/policy.server";
import { CHINA_STANDARD, formatInZone, US_EASTERN } from "~/utils/dates";
import { isDeletedMember } from "~/utils/deleted-member";
import { truncate } from "~/utils/text";
import { ESSENTIAL_KINDS } from "./outbox.server";
import { threadResource } from "../threads.server";
import { threadAccess } from "../track2/access.server";
import { contentMayLeavePage, isPseudonymous, replyLevel } from "../track2/attribution.server";
import { emailSettings } from "./settings.server";
import { hashToken, replyToken, unsubscribeToken, type UnsubscribeKind } from "./tokens.server";
import { digestContent, type DigestPayload } from "./digest-content.server";
import { dialogueTimes, memberTimeZone } from "./times.server";
import { surveyResource } from "../surveys/audience.server";
import { surveyState } from "../surveys/surveys.server";

export type Composed =
  | { outcome: "send"; subject: string; html: string; text: string; headers: Record<string, string>; replyTo?: string; payload?: Prisma.InputJsonObject }
  | { outcome: "cancel"; reason: string }
  | { outcome: "suppress"; reason: string };

type Recipient = User & { region: { slug: string; country: string } | null };

const cancel = (reason: string): Composed => ({ outcome: "cancel", reason });
const suppress = (reason: string): Composed => ({ outcome: "suppress", reason });

async function translator(locale: Locale): Promise<Translate> {
  return (await getFixedT(locale)) as unknown as Translate;
}

/** A name as readers see it: the deleted-member placeholder has none. */
function nameOf(t: Translate, user: { id: string; displayName: string } | null | undefined): string {
  if (!user || isDeletedMember(user.id) || !user.displayName) return t("members.deleted");
  return user.displayName;
}

function host(): string {
  return new URL(emailSettings().publicUrl).hostname;
}

function url(path: string): string {
  return `${emailSettings().publicUrl}${path}`;
}

function messageId(row: EmailMessage): string {
  return `<${row.id}@${host()}>`;
}

async function finish(
  row: EmailMessage,
  subject: string,
  element: ReactElement,
  extra: { headers?: Record<string, string>; unsubscribe?: { userId: string; kind: UnsubscribeKind }; replyTo?: string; payload?: Prisma.InputJsonObject } = {},
): Promise<Composed> {
  const parts = await renderParts(element);
  const headers: Record<string, string> = { "Message-ID": messageId(row), ...extra.headers };
  if (!ESSENTIAL_KINDS.has(row.kind)) {
    // RFC 3834: machine-made, so vacation responders stay quiet.
    headers["Auto-Submitted"] = "auto-generated";
  }
  if (extra.unsubscribe) {
    // RFC 8058 one-click unsubscribe: a POST to this URL, without a cookie, turns the kind off.
    headers["List-Unsubscribe"] = `<${url(`/email/unsubscribe/${await unsubscribeToken(extra.unsubscribe.userId, extra.unsubscribe.kind)}`)}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  return { outcome: "send", subject, html: parts.html, text: parts.text, headers, replyTo: extra.replyTo, payload: extra.payload };
}

async function footerLinks(t: Translate, userId: string, kind: UnsubscribeKind): Promise<FooterLinks> {
  return {
    preferencesUrl: url("/settings#email"),
    unsubscribeUrl: url(`/email/unsubscribe/${await unsubscribeToken(userId, kind)}`),
    unsubscribeLabel: t(`email.kinds.${kind}`),
  };
}

async function loadRecipient(userId: string | null): Promise<Recipient | null> {
  if (!userId) return null;
  return prisma.user.findUnique({ where: { id: userId }, include: { region: { select: { slug: true, country: true } } } });
}

function actorOf(user: Recipient): Actor {
  return { id: user.id, role: user.role, suspendedUntil: user.suspendedUntil };
}

/**
 * Checks the recipient of a member's email: still there, active, and (for non-essential kinds)
 * with an address that does not bounce.
 */
function recipientProblem(row: EmailMessage, user: Recipient | null): Composed | null {
  if (!user || user.deactivatedAt) return cancel("recipient_gone");
  if (!ESSENTIAL_KINDS.has(row.kind)) {
    if (!isActive(actorOf(user))) return cancel("recipient_suspended");
    if (user.emailBouncingAt) return suppress("address_bouncing");
  }
  return null;
}

/**
 * Renders an outbox row, or says why it is not sent.
 * @throws Error for a kind it does not know (a bug; the job fails and retries)
 */
export async function composeEmail(row: EmailMessage): Promise<Composed> {
  const payload = (row.payload ?? {}) as Record<string, unknown>;
  const t = await translator(row.locale);
  switch (row.kind) {
    case "test":
      return finish(row, t("email.test.subject"), createElement(TestEmail, { t, siteUrl: url("/"), sentBy: String(payload.sentBy ?? "") }));
    case "invitation":
      return composeInvitation(row, payload);
    case "password_reset":
      return composePasswordReset(row, payload, t);
    case "password_changed": {
      const user = await loadRecipient(row.userId);
      const problem = recipientProblem(row, user);
      if (problem) return problem;
      const when = formatInZone(new Date(String(payload.at ?? row.createdAt.toISOString())), memberTimeZone(user!), row.locale);
      return finish(row, t("email.passwordChanged.subject"), createElement(PasswordChangedEmail, { t, name: nameOf(t, user), when, settingsUrl: url("/settings"), resetUrl: url("/forgot-password") }));
    }
    case "email_change_confirm":
      return composeEmailChangeConfirm(row, payload, t);
    case "email_change_notice": {
      const user = await loadRecipient(row.userId);
      const problem = recipientProblem(row, user);
      if (problem) return problem;
      return finish(row, t("email.changeNotice.subject"), createElement(EmailChangeNoticeEmail, { t, name: nameOf(t, user), newEmail: String(payload.newEmail ?? ""), settingsUrl: url("/settings") }));
    }
    case "notification":
      return composeNotification(row, payload, t);
    case "digest":
      return composeDigest(row, payload as unknown as DigestPayload, t);
    case "dialogue_reminder":
      return composeReminder(row, payload, t);
    case "participation_decided":
      return composeParticipation(row, payload, t);
    case "survey_announcement":
      return composeSurveyAnnouncement(row, payload, t);
    case "reply_refused": {
      const user = await loadRecipient(row.userId);
      const thread = payload.threadId ? await prisma.thread.findUnique({ where: { id: String(payload.threadId) } }) : null;
      const readable = thread && user && can(actorOf(user), "thread.read", threadResource(thread, await threadAccess(actorOf(user), thread)));
      const reason = payload.reasonKey ? t(String(payload.reasonKey)) : t(`errors.${String(payload.code ?? "validation")}`, (payload.params ?? {}) as Record<string, unknown>);
      return finish(
        row,
        t("email.refused.subject"),
        createElement(ReplyRefusedEmail, {
          t,
          name: user ? nameOf(t, user) : row.toAddress,
          reason,
          threadTitle: readable ? pickTitle(row.locale, thread) : null,
          threadUrl: readable ? url(`/threads/${thread.id}`) : null,
          text: truncate(String(payload.text ?? ""), 4000),
        }),
        { headers: payload.inReplyTo ? { "In-Reply-To": String(payload.inReplyTo), References: String(payload.inReplyTo) } : {} },
      );
    }
  }
  throw new Error(`no composer for email kind ${String(row.kind)}`);
}

function pickTitle(locale: Locale, thread: { titleEn: string; titleZh: string }): string {
  return locale === "zh" && thread.titleZh ? thread.titleZh : thread.titleEn;
}

async function composeInvitation(row: EmailMessage, payload: Record<string, unknown>): Promise<Composed> {
  const invitation = await prisma.invitation.findUnique({ where: { id: String(row.refId) }, include: { createdBy: { select: { id: true, displayName: true } } } });
  if (!invitation || invitation.revokedAt || invitation.usedAt) return cancel("invitation_closed");
  if (invitation.expiresAt <= new Date()) return cancel("invitation_expired");
  // A resend made a new link: this row's link no longer works.
  if (hashToken(String(payload.token ?? "")) !== invitation.tokenHash) return cancel("invitation_superseded");
  const order: Locale[] = row.locale === "zh" ? ["zh", "en"] : ["en", "zh"];
  const link = url(`/signup?invitation=${encodeURIComponent(String(payload.token))}`);
  const languages = await Promise.all(order.map(async (locale) => {
    const t = await translator(locale);
    return {
      t,
      lang: locale,
      role: t(`roles.${invitation.role}`),
      // The date in Beijing and U.S. Eastern time: the reader's zone is not known yet.
      expires: formatInZone(invitation.expiresAt, locale === "zh" ? CHINA_STANDARD : US_EASTERN, locale),
    };
  }));
  const inviter = invitation.createdBy ? nameOf(languages[0].t, invitation.createdBy) : "Coal Regions Network";
  const subject = languages.map(({ t }) => t("email.invitation.subject", { name: inviter })).join(" / ");
  return finish(row, subject, createElement(InvitationEmail, { languages, inviter, message: invitation.message, link }));
}

async function composePasswordReset(row: EmailMessage, payload: Record<string, unknown>, t: Translate): Promise<Composed> {
  const user = await loadRecipient(row.userId);
  if (!user || user.deactivatedAt) return cancel("recipient_gone");
  const token = String(payload.token ?? "");
  const reset = await prisma.passwordResetToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!reset || reset.usedAt) return cancel("token_used");
  if (reset.expiresAt <= new Date()) return cancel("token_expired");
  return finish(row, t("email.reset.subject"), createElement(PasswordResetEmail, { t, name: nameOf(t, user), link: url(`/reset-password?token=${encodeURIComponent(token)}`) }));
}

async function composeEmailChangeConfirm(row: EmailMessage, payload: Record<string, unknown>, t: Translate): Promise<Composed> {
  const user = await loadRecipient(row.userId);
  if (!user || user.deactivatedAt) return cancel("recipient_gone");
  const token = String(payload.token ?? "");
  const request = await prisma.emailChangeRequest.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!request || request.confirmedAt) return cancel("token_used");
  if (request.expiresAt <= new Date()) return cancel("token_expired");
  return finish(
    row,
    t("email.changeConfirm.subject"),
    createElement(EmailChangeConfirmEmail, { t, name: nameOf(t, user), newEmail: request.newEmail, link: url(`/email/confirm?token=${encodeURIComponent(token)}`) }),
  );
}

const REASON_RANK = { mention: 3, reply_to_you: 2, reply: 1 } as const;
type PostReason = keyof typeof REASON_RANK;

/** Which switch a reason answers to. */
function preferenceOf(user: Recipient, reason: PostReason): boolean {
  return reason === "mention" ? user.emailMentions : reason === "reply_to_you" ? user.emailReplies : user.emailWatching;
}

const KIND_OF_REASON: Record<PostReason, UnsubscribeKind> = { mention: "mentions", reply_to_you: "replies", reply: "watching" };

/** The end of what the previous email with the same gathering key covered. */
async function previousUntil(row: EmailMessage): Promise<Date | null> {
  if (!row.gatherKey) return null;
  const previous = await prisma.emailMessage.findFirst({
    where: { gatherKey: row.gatherKey, id: { not: row.id }, createdAt: { lte: row.createdAt }, status: { in: ["sent", "held", "sending"] } },
    orderBy: { createdAt: "desc" },
  });
  if (!previous) return null;
  const until = (previous.payload as Record<string, unknown> | null)?.until;
  return typeof until === "string" ? new Date(until) : previous.sentAt ?? previous.createdAt;
}

async function composeNotification(row: EmailMessage, payload: Record<string, unknown>, t: Translate): Promise<Composed> {
  const user = await loadRecipient(row.userId);
  const problem = recipientProblem(row, user);
  if (problem) return problem;
  const scope = String(payload.scope ?? "thread");
  if (scope === "note") return composeNoteShared(row, user!, String(row.refId), t);
  if (scope === "case_study") return composeCaseStudyComments(row, user!, String(row.refId), t);
  return composeThreadNotification(row, user!, String(row.refId), t);
}

async function composeThreadNotification(row: EmailMessage, user: Recipient, threadId: string, t: Translate): Promise<Composed> {
  const actor = actorOf(user);
  const thread = await prisma.thread.findUnique({ where: { id: threadId } });
  if (!thread) return cancel("not_visible");
  const access = await threadAccess(actor, thread);
  const resource = threadResource(thread, access);
  if (!can(actor, "thread.read", resource)) return cancel("not_visible");
  const composedAt = new Date();
  const since = await previousUntil(row);
  const notifications = await prisma.notification.findMany({
    where: { userId: user.id, threadId, readAt: null, type: { in: ["reply", "mention", "reply_to_you"] } },
    include: { replies: { select: { replyId: true } } },
  });
  if (notifications.length === 0) return cancel("read_on_site");
  const reasons = new Map<string, PostReason>();
  let switchedOff = 0;
  for (const n of notifications) {
    const reason = n.type as PostReason;
    const ids = n.type === "reply" ? n.replies.map((r) => r.replyId) : n.replyId ? [n.replyId] : [];
    if (!preferenceOf(user, reason)) {
      switchedOff += ids.length;
      continue;
    }
    for (const id of ids) {
      const known = reasons.get(id);
      if (!known || REASON_RANK[reason] > REASON_RANK[known]) reasons.set(id, reason);
    }
  }
  const replies = reasons.size
    ? await prisma.reply.findMany({
        where: { id: { in: [...reasons.keys()] }, threadId, authorId: { not: user.id }, ...(since ? { createdAt: { gt: since } } : {}) },
        include: { author: { select: { id: true, displayName: true } }, translations: { where: { language: row.locale }, select: { text: true } } },
        orderBy: { postNumber: "asc" },
      })
    : [];
  // Permissions now, not when the reply was posted: hidden or deleted since means not sent.
  const visible = replies.filter((reply) => can(actor, "reply.read", { ...reply, thread: resource }));
  if (visible.length === 0) return switchedOff > 0 && reasons.size === 0 ? suppress("preference_off") : cancel("nothing_visible");
  const zone = memberTimeZone(user);
  // An email leaves the page: speakers under the Chatham House Rule are their pseudonyms (even to
  // staff), and words said off the record stay on the site.
  const posts: PostItem[] = visible.map((reply) => {
    const level = replyLevel(reply.attributionLevel, access.level);
    return {
    author: isPseudonymous(level) ? t("attribution.participant", { number: reply.participantNumber }) : nameOf(t, reply.author),
    when: formatInZone(reply.createdAt, zone, row.locale),
    text: contentMayLeavePage(level) ? truncate(readerText(reply, row.locale, t), 3000) : t("attribution.offTheRecordText"),
    url: url(`/threads/${threadId}?post=${reply.postNumber}#post-${reply.postNumber}`),
    reason: reasons.get(reply.id)!,
    };
  });
  // The List-Unsubscribe of a gathered email turns off what brought most of it in.
  const strongest = posts.some((p) => p.reason === "reply") ? "reply" : posts.some((p) => p.reason === "reply_to_you") ? "reply_to_you" : "mention";
  const kind = KIND_OF_REASON[strongest];
  const settings = emailSettings();
  const replyTo = settings.inboundDomain ? `reply+${await replyToken(row.id)}@${settings.inboundDomain}` : undefined;
  const title = pickTitle(row.locale, thread);
  const threadRef = `<thread-${thread.id}@${host()}>`;
  return finish(
    row,
    `${t("email.thread.subjectPrefix")} ${title}`,
    createElement(ThreadEmail, {
      t,
      name: nameOf(t, user),
      threadTitle: title,
      threadUrl: url(`/threads/${threadId}`),
      posts,
      replyByEmail: Boolean(replyTo),
      why: t(`email.why.${kind}`),
      links: await footerLinks(t, user.id, kind),
    }),
    {
      // One conversation per thread in the reader's mail client (RFC 5322 §3.6.4).
      headers: { "In-Reply-To": threadRef, References: threadRef },
      unsubscribe: { userId: user.id, kind },
      replyTo,
      payload: { until: composedAt.toISOString(), replyIds: visible.map((r) => r.id), threadId, lastReplyId: visible[visible.length - 1].id },
    },
  );
}

async function composeNoteShared(row: EmailMessage, user: Recipient, noteId: string, t: Translate): Promise<Composed> {
  if (!user.emailNotes) return suppress("preference_off");
  const notice = await prisma.notification.findFirst({ where: { userId: user.id, type: "note_shared", noteId, readAt: null }, orderBy: { createdAt: "desc" }, include: { actor: { select: { id: true, displayName: true } } } });
  if (!notice) return cancel("read_on_site");
  const membership = await prisma.noteMember.findUnique({ where: { noteId_userId: { noteId, userId: user.id } }, include: { note: { select: { title: true } } } });
  if (!membership) return cancel("not_visible");
  const sharer = nameOf(t, notice.actor);
  return finish(
    row,
    t("email.noteShared.subject", { name: sharer, title: membership.note.title }),
    createElement(NoteSharedEmail, {
      t,
      name: nameOf(t, user),
      sharer,
      noteTitle: membership.note.title,
      noteUrl: url(`/notes/${noteId}`),
      role: t(`email.noteShared.roles.${membership.role === "owner" ? "editor" : membership.role}`),
      why: t("email.why.notes"),
      links: await footerLinks(t, user.id, "notes"),
    }),
    { unsubscribe: { userId: user.id, kind: "notes" }, headers: { References: `<note-${noteId}@${host()}>` } },
  );
}

async function composeCaseStudyComments(row: EmailMessage, user: Recipient, caseStudyId: string, t: Translate): Promise<Composed> {
  if (!user.emailCaseStudies) return suppress("preference_off");
  const actor = actorOf(user);
  const study = await prisma.caseStudy.findUnique({ where: { id: caseStudyId }, include: { versions: { select: { language: true, title: true } } } });
  if (!study || !can(actor, "caseStudy.read", study)) return cancel("not_visible");
  const notices = await prisma.notification.findMany({ where: { userId: user.id, type: "case_study_comment", caseStudyId, readAt: null } });
  if (notices.length === 0) return cancel("read_on_site");
  const since = await previousUntil(row);
  const commentIds = notices.map((n) => (n.data as Record<string, string> | null)?.commentId).filter((id): id is string => Boolean(id));
  const comments = await prisma.caseStudyComment.findMany({
    where: { id: { in: commentIds }, deletedAt: null, authorId: { not: user.id }, ...(since ? { createdAt: { gt: since } } : {}) },
    include: { author: { select: { id: true, displayName: true } } },
    orderBy: { createdAt: "asc" },
  });
  if (comments.length === 0) return cancel("nothing_visible");
  const title = study.versions.find((v) => v.language === row.locale)?.title ?? study.versions[0]?.title ?? "";
  const zone = memberTimeZone(user);
  return finish(
    row,
    t("email.caseStudyComment.subject", { title }),
    createElement(CaseStudyCommentEmail, {
      t,
      name: nameOf(t, user),
      title,
      url: url(`/case-studies/${caseStudyId}#comments`),
      comments: comments.map((c) => ({ author: nameOf(t, c.author), when: formatInZone(c.createdAt, zone, row.locale), text: truncate(c.text, 2000) })),
      why: t("email.why.case_studies"),
      links: await footerLinks(t, user.id, "case_studies"),
    }),
    { unsubscribe: { userId: user.id, kind: "case_studies" }, headers: { References: `<case-study-${caseStudyId}@${host()}>` }, payload: { until: new Date().toISOString() } },
  );
}

async function composeDigest(row: EmailMessage, payload: DigestPayload, t: Translate): Promise<Composed> {
  const user = await loadRecipient(row.userId);
  const problem = recipientProblem(row, user);
  if (problem) return problem;
  if (user!.digestFrequency === "off") return suppress("preference_off");
  const content = await digestContent(user!, payload, row.locale, t);
  if (!content) return cancel("nothing_new");
  const frequency = t(`email.frequency.${payload.frequency}`);
  return finish(
    row,
    t("email.digest.subject", { frequency, period: content.period }),
    createElement(DigestEmail, {
      t,
      name: nameOf(t, user),
      ...content,
      siteUrl: url("/latest"),
      why: t("email.why.digest", { frequency }),
      links: await footerLinks(t, user!.id, "digest"),
    }),
    { unsubscribe: { userId: user!.id, kind: "digest" } },
  );
}

async function composeReminder(row: EmailMessage, payload: Record<string, unknown>, t: Translate): Promise<Composed> {
  const user = await loadRecipient(row.userId);
  const problem = recipientProblem(row, user);
  if (problem) return problem;
  if (!user!.emailReminders) return suppress("preference_off");
  const dialogue = await prisma.dialogue.findUnique({ where: { id: String(row.refId ?? payload.dialogueId) } });
  if (!dialogue || !dialogue.startsAt || dialogue.startsAt <= new Date()) return cancel("not_visible");
  const title = row.locale === "zh" ? dialogue.titleZh : dialogue.titleEn;
  return finish(
    row,
    t("email.reminder.subject", { title }),
    createElement(DialogueReminderEmail, {
      t,
      name: nameOf(t, user),
      title,
      url: url(`/dialogues/${dialogue.slug}`),
      times: dialogueTimes(t, dialogue.startsAt, memberTimeZone(user!), row.locale),
      why: t("email.why.reminders"),
      links: await footerLinks(t, user!.id, "reminders"),
    }),
    { unsubscribe: { userId: user!.id, kind: "reminders" } },
  );
}

/**
 * A survey opened, or closes within a day: sent only while it is still open, the member still in
 * its audience and (for the reminder) not yet answered.
 */
async function composeSurveyAnnouncement(row: EmailMessage, payload: Record<string, unknown>, t: Translate): Promise<Composed> {
  const user = await loadRecipient(row.userId);
  const problem = recipientProblem(row, user);
  if (problem) return problem;
  if (!user!.emailReminders) return suppress("preference_off");
  const survey = await prisma.survey.findUnique({ where: { id: String(row.refId ?? payload.surveyId) }, include: { regions: true } });
  if (!survey) return cancel("not_visible");
  const actor = actorOf(user!);
  const resource = await surveyResource(actor, survey);
  if (!can(actor, "survey.read", resource) || surveyState(survey) !== "open") return cancel("not_visible");
  const closing = payload.phase === "closing";
  if (closing && resource.answered) return cancel("already_answered");
  const title = row.locale === "zh" ? survey.titleZh || survey.titleEn : survey.titleEn || survey.titleZh;
  const closesAt = survey.closesAt ? formatInZone(survey.closesAt, memberTimeZone(user!), row.locale) : null;
  return finish(
    row,
    t(closing ? "email.survey.closingSubject" : "email.survey.openedSubject", { title }),
    createElement(SurveyAnnouncementEmail, {
      t,
      name: nameOf(t, user),
      title,
      closing,
      closesAt,
      anonymous: survey.anonymous,
      url: url(`/surveys/${survey.id}`),
      why: t("email.why.surveys"),
      links: await footerLinks(t, user!.id, "reminders"),
    }),
    { unsubscribe: { userId: user!.id, kind: "reminders" } },
  );
}

async function composeParticipation(row: EmailMessage, _payload: Record<string, unknown>, t: Translate): Promise<Composed> {
  const request = await prisma.participationRequest.findUnique({ where: { id: String(row.refId) }, include: { dialogue: true } });
  // The email says where the request stands when it is sent (a later change queues its own).
  if (!request || (request.status !== "approved" && request.status !== "waitlisted" && request.status !== "declined")) return cancel("not_visible");
  const title = row.locale === "zh" ? request.dialogue.titleZh : request.dialogue.titleEn;
  return finish(
    row,
    t("email.participation.subject", { title }),
    createElement(ParticipationDecidedEmail, { t, name: request.name, dialogue: title, url: url(`/dialogues/${request.dialogue.slug}`), status: request.status, note: request.decisionNote }),
  );
}

/**
 * A reply's words in the recipient's language where a translation exists (saying so, and that
 * the original is on the site), else as written.
 */
function readerText(reply: { text: string; language: string; translations: { text: string }[] }, locale: string, t: Translate): string {
  const translation = reply.language !== locale ? reply.translations[0] : undefined;
  if (!translation) return reply.text;
  return `${translation.text}\n\n(${t("translation.emailNote", { language: t(`translation.languages.${reply.language}`) })})`;
}
