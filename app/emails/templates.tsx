/**
 * Every email the network sends, as React Email components. Each takes already-resolved data
 * (names through the presenter, links absolute to PUBLIC_URL, times formatted in the
 * recipient's zone) and a translator for the recipient's language (`email.*` in
 * public/locales/<lang>/common.json). Invitations carry both languages, the inviter's choice
 * first.
 */
import type { ReactNode } from "react";
import { A, Button, Footer, Layout, LinkLine, P, Quote, Rule, Subtitle, Title } from "./components";

/** A translator for one language (i18next's `getFixedT`). */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface FooterLinks {
  /** /settings#email, absolute. */
  preferencesUrl: string;
  /** The one-click unsubscribe page of this email's kind (non-essential emails only). */
  unsubscribeUrl?: string;
  /** What the unsubscribe link turns off, e.g. "emails about mentions". */
  unsubscribeLabel?: string;
}

function MemberFooter({ t, why, links }: { t: Translate; why: string; links: FooterLinks }) {
  const footerLinks = [{ href: links.preferencesUrl, label: t("email.footer.preferences") }];
  if (links.unsubscribeUrl) footerLinks.push({ href: links.unsubscribeUrl, label: t("email.footer.unsubscribe", { what: links.unsubscribeLabel ?? "" }) });
  return <Footer lines={[why]} links={footerLinks} />;
}

export function TestEmail({ t, siteUrl, sentBy }: { t: Translate; siteUrl: string; sentBy: string }) {
  return (
    <Layout lang={t("email.lang") === "zh" ? "zh" : "en"} preview={t("email.test.preview")} footer={<Footer lines={[t("email.test.why", { name: sentBy })]} />}>
      <Title>{t("email.test.title")}</Title>
      <P>{t("email.test.body")}</P>
      <Button href={siteUrl}>{t("email.test.open")}</Button>
    </Layout>
  );
}

export interface InvitationProps {
  /** The inviter's chosen language first, then the other. */
  languages: { t: Translate; lang: "en" | "zh"; expires: string; role: string }[];
  inviter: string;
  message: string;
  link: string;
}

export function InvitationEmail({ languages, inviter, message, link }: InvitationProps) {
  const [first] = languages;
  return (
    <Layout
      lang="en-zh"
      preview={languages.map(({ t }) => t("email.invitation.preview", { name: inviter })).join(" · ")}
      footer={<Footer lines={languages.map(({ t }) => t("email.invitation.why"))} />}
    >
      {languages.map(({ t, lang, expires, role }, index) => (
        <div key={lang} lang={lang === "zh" ? "zh-CN" : "en"}>
          {index > 0 ? <Rule /> : null}
          <Title lang={lang === "zh" ? "zh-CN" : "en"}>{t("email.invitation.title")}</Title>
          <P lang={lang === "zh" ? "zh-CN" : "en"}>{t("email.invitation.body", { name: inviter, role })}</P>
          {message ? <Quote author={inviter}>{message}</Quote> : null}
          <P lang={lang === "zh" ? "zh-CN" : "en"}>{t("email.invitation.about")}</P>
          <Button href={link}>{t("email.invitation.accept")}</Button>
          <P muted small>{t("email.invitation.expires", { date: expires })}</P>
        </div>
      ))}
      <LinkLine href={link} label={first.t("email.common.linkLabel")} />
    </Layout>
  );
}

export function PasswordResetEmail({ t, name, link }: { t: Translate; name: string; link: string }) {
  return (
    <Layout lang={lang(t)} preview={t("email.reset.preview")} footer={<Footer lines={[t("email.reset.why")]} />}>
      <Title>{t("email.reset.title")}</Title>
      <P>{t("email.common.greeting", { name })}</P>
      <P>{t("email.reset.body")}</P>
      <Button href={link}>{t("email.reset.button")}</Button>
      <P muted small>{t("email.reset.expires")}</P>
      <P muted small>{t("email.reset.ignore")}</P>
      <LinkLine href={link} label={t("email.common.linkLabel")} />
    </Layout>
  );
}

export function PasswordChangedEmail({ t, name, when, settingsUrl, resetUrl }: { t: Translate; name: string; when: string; settingsUrl: string; resetUrl: string }) {
  return (
    <Layout lang={lang(t)} preview={t("email.passwordChanged.preview")} footer={<Footer lines={[t("email.passwordChanged.why")]} />}>
      <Title>{t("email.passwordChanged.title")}</Title>
      <P>{t("email.common.greeting", { name })}</P>
      <P>{t("email.passwordChanged.body", { when })}</P>
      <P>{t("email.passwordChanged.notYou")}</P>
      <Button href={resetUrl}>{t("email.passwordChanged.reset")}</Button>
      <P muted small>
        <A href={settingsUrl}>{t("email.passwordChanged.settings")}</A>
      </P>
    </Layout>
  );
}

export function EmailChangeConfirmEmail({ t, name, newEmail, link }: { t: Translate; name: string; newEmail: string; link: string }) {
  return (
    <Layout lang={lang(t)} preview={t("email.changeConfirm.preview")} footer={<Footer lines={[t("email.changeConfirm.why")]} />}>
      <Title>{t("email.changeConfirm.title")}</Title>
      <P>{t("email.common.greeting", { name })}</P>
      <P>{t("email.changeConfirm.body", { email: newEmail })}</P>
      <Button href={link}>{t("email.changeConfirm.button")}</Button>
      <P muted small>{t("email.changeConfirm.expires")}</P>
      <LinkLine href={link} label={t("email.common.linkLabel")} />
    </Layout>
  );
}

export function EmailChangeNoticeEmail({ t, name, newEmail, settingsUrl }: { t: Translate; name: string; newEmail: string; settingsUrl: string }) {
  return (
    <Layout lang={lang(t)} preview={t("email.changeNotice.preview")} footer={<Footer lines={[t("email.changeNotice.why")]} />}>
      <Title>{t("email.changeNotice.title")}</Title>
      <P>{t("email.common.greeting", { name })}</P>
      <P>{t("email.changeNotice.body", { email: newEmail })}</P>
      <P>{t("email.changeNotice.notYou")}</P>
      <P muted small>
        <A href={settingsUrl}>{t("email.passwordChanged.settings")}</A>
      </P>
    </Layout>
  );
}

export interface PostItem {
  author: string;
  when: string;
  text: string;
  url: string;
  /** Why this post is in the email: a mention, a reply to the reader, a watched thread's reply. */
  reason: "mention" | "reply_to_you" | "reply";
}

export function ThreadEmail({
  t,
  name,
  threadTitle,
  threadUrl,
  posts,
  replyByEmail,
  why,
  links,
}: {
  t: Translate;
  name: string;
  threadTitle: string;
  threadUrl: string;
  posts: PostItem[];
  replyByEmail: boolean;
  why: string;
  links: FooterLinks;
}) {
  const lead = posts.length === 1 ? t(`email.thread.lead.${posts[0].reason}`, { name: posts[0].author }) : t("email.thread.leadMany", { count: posts.length });
  return (
    <Layout lang={lang(t)} preview={`${lead}: ${posts[posts.length - 1]?.text.slice(0, 90) ?? ""}`} footer={<MemberFooter t={t} why={why} links={links} />}>
      <P muted small>{t("email.common.greeting", { name })}</P>
      <Title>{threadTitle}</Title>
      <P>{lead}</P>
      {posts.map((post) => (
        <Quote key={post.url} author={post.author} meta={`${post.when} · ${t(`email.thread.reason.${post.reason}`)}`} href={post.url}>
          {post.text}
        </Quote>
      ))}
      <Button href={threadUrl}>{t("email.thread.open")}</Button>
      {replyByEmail ? <P muted small>{t("email.thread.replyByEmail")}</P> : null}
    </Layout>
  );
}

export function NoteSharedEmail({ t, name, sharer, noteTitle, noteUrl, role, why, links }: { t: Translate; name: string; sharer: string; noteTitle: string; noteUrl: string; role: string; why: string; links: FooterLinks }) {
  return (
    <Layout lang={lang(t)} preview={t("email.noteShared.preview", { name: sharer, title: noteTitle })} footer={<MemberFooter t={t} why={why} links={links} />}>
      <P muted small>{t("email.common.greeting", { name })}</P>
      <Title>{noteTitle}</Title>
      <P>{t("email.noteShared.body", { name: sharer, role })}</P>
      <Button href={noteUrl}>{t("email.noteShared.open")}</Button>
    </Layout>
  );
}

export function CaseStudyCommentEmail({ t, name, title, url, comments, why, links }: { t: Translate; name: string; title: string; url: string; comments: { author: string; when: string; text: string }[]; why: string; links: FooterLinks }) {
  return (
    <Layout lang={lang(t)} preview={t("email.caseStudyComment.preview", { count: comments.length, title })} footer={<MemberFooter t={t} why={why} links={links} />}>
      <P muted small>{t("email.common.greeting", { name })}</P>
      <Title>{title}</Title>
      <P>{t("email.caseStudyComment.body", { count: comments.length })}</P>
      {comments.map((c, i) => (
        <Quote key={i} author={c.author} meta={c.when}>{c.text}</Quote>
      ))}
      <Button href={url}>{t("email.caseStudyComment.open")}</Button>
    </Layout>
  );
}

export interface DigestThread {
  title: string;
  url: string;
  /** e.g. "12 replies this week" / "new". */
  detail: string;
}

export interface DigestDialogue {
  title: string;
  url: string;
  /** U.S. time and Beijing time, or the day / note the programme gives. */
  times: string[];
}

export interface DigestProps {
  t: Translate;
  name: string;
  period: string;
  newThreads: DigestThread[];
  busyThreads: DigestThread[];
  watchedThreads: DigestThread[];
  caseStudies: DigestThread[];
  notes: DigestThread[];
  dialogues: DigestDialogue[];
  siteUrl: string;
  why: string;
  links: FooterLinks;
}

function DigestList({ heading, items }: { heading: string; items: DigestThread[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <Subtitle>{heading}</Subtitle>
      {items.map((item) => (
        <P key={item.url}>
          <A href={item.url}>{item.title}</A>
          <br />
          <span style={{ color: "#5d6778", fontSize: "14px" }} className="crn-muted">{item.detail}</span>
        </P>
      ))}
    </>
  );
}

export function DigestEmail(props: DigestProps) {
  const { t } = props;
  return (
    <Layout lang={lang(t)} preview={t("email.digest.preview", { period: props.period })} footer={<MemberFooter t={t} why={props.why} links={props.links} />}>
      <P muted small>{t("email.common.greeting", { name: props.name })}</P>
      <Title>{t("email.digest.title", { period: props.period })}</Title>
      <DigestList heading={t("email.digest.newThreads")} items={props.newThreads} />
      <DigestList heading={t("email.digest.busyThreads")} items={props.busyThreads} />
      <DigestList heading={t("email.digest.watchedThreads")} items={props.watchedThreads} />
      <DigestList heading={t("email.digest.caseStudies")} items={props.caseStudies} />
      <DigestList heading={t("email.digest.notes")} items={props.notes} />
      {props.dialogues.length ? (
        <>
          <Subtitle>{t("email.digest.dialogues")}</Subtitle>
          {props.dialogues.map((d) => (
            <P key={d.url}>
              <A href={d.url}>{d.title}</A>
              {d.times.map((time) => (
                <span key={time}>
                  <br />
                  <span style={{ color: "#5d6778", fontSize: "14px" }} className="crn-muted">{time}</span>
                </span>
              ))}
            </P>
          ))}
        </>
      ) : null}
      <Button href={props.siteUrl}>{t("email.digest.open")}</Button>
    </Layout>
  );
}

export function DialogueReminderEmail({ t, name, title, url, times, why, links }: { t: Translate; name: string; title: string; url: string; times: string[]; why: string; links: FooterLinks }) {
  return (
    <Layout lang={lang(t)} preview={t("email.reminder.preview", { title })} footer={<MemberFooter t={t} why={why} links={links} />}>
      <P muted small>{t("email.common.greeting", { name })}</P>
      <Title>{title}</Title>
      <P>{t("email.reminder.body")}</P>
      {times.map((time) => (
        <P key={time}>{time}</P>
      ))}
      <Button href={url}>{t("email.reminder.open")}</Button>
    </Layout>
  );
}

export function SurveyAnnouncementEmail({
  t,
  name,
  title,
  closing,
  closesAt,
  anonymous,
  url,
  why,
  links,
}: {
  t: Translate;
  name: string;
  title: string;
  closing: boolean;
  closesAt: string | null;
  anonymous: boolean;
  url: string;
  why: string;
  links: FooterLinks;
}) {
  return (
    <Layout lang={lang(t)} preview={t(closing ? "email.survey.closingPreview" : "email.survey.openedPreview", { title })} footer={<MemberFooter t={t} why={why} links={links} />}>
      <P muted small>{t("email.common.greeting", { name })}</P>
      <Title>{title}</Title>
      <P>{t(closing ? "email.survey.closingBody" : "email.survey.openedBody")}</P>
      {closesAt ? <P>{t("email.survey.closesAt", { when: closesAt })}</P> : null}
      <P muted small>{t(anonymous ? "email.survey.anonymous" : "email.survey.attributed")}</P>
      <Button href={url}>{t("email.survey.open")}</Button>
    </Layout>
  );
}

export function ParticipationDecidedEmail({ t, name, dialogue, url, status, note }: { t: Translate; name: string; dialogue: string; url: string; status: "approved" | "waitlisted" | "declined"; note: string }) {
  return (
    <Layout lang={lang(t)} preview={t(`email.participation.${status}Preview`, { title: dialogue })} footer={<Footer lines={[t("email.participation.why")]} />}>
      <Title>{dialogue}</Title>
      <P>{t("email.common.greeting", { name })}</P>
      <P>{t(`email.participation.${status}`, { title: dialogue })}</P>
      {note ? <Quote author={t("email.participation.noteFrom")}>{note}</Quote> : null}
      <Button href={url}>{t("email.participation.open")}</Button>
    </Layout>
  );
}

export function ReplyRefusedEmail({ t, name, reason, threadTitle, threadUrl, text }: { t: Translate; name: string; reason: string; threadTitle: string | null; threadUrl: string | null; text: string }) {
  return (
    <Layout lang={lang(t)} preview={t("email.refused.preview")} footer={<Footer lines={[t("email.refused.why")]} />}>
      <Title>{t("email.refused.title")}</Title>
      <P>{t("email.common.greeting", { name })}</P>
      <P>{threadTitle ? t("email.refused.body", { title: threadTitle }) : t("email.refused.bodyNoThread")}</P>
      <Quote author={t("email.refused.reason")}>{reason}</Quote>
      {text ? (
        <>
          <P muted small>{t("email.refused.yourText")}</P>
          <Quote author={name}>{text}</Quote>
        </>
      ) : null}
      {threadUrl ? <Button href={threadUrl}>{t("email.thread.open")}</Button> : null}
    </Layout>
  );
}

function lang(t: Translate): "en" | "zh" {
  return t("email.lang") === "zh" ? "zh" : "en";
}

export type EmailElement = ReactNode;
