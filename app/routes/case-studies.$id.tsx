import type { ActionFunctionArgs, LoaderFunctionArgs, MetaDescriptor, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDate, type CardStudy } from "~/components/case-studies";
import { BusyRetryNote, FieldError, useRetryWhenBusy } from "~/components/forms";
import { CommentTranslationForms, TranslatedComment } from "~/components/translations";
import { ReplyEditor } from "~/editor/ReplyEditor";
import { getActor, requireUser } from "~/http/auth.server";
import type { Lang } from "~/i18n/config";
import { resolveLocale } from "~/i18n/i18n.server";
import {
  caseStudyResource,
  getCaseStudy,
  hasEndorsed,
  listCaseStudyThreads,
  listComments,
  toVersionView,
  type VersionView,
} from "~/models/case-studies.server";
import { can, isActive } from "~/policy.server";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";
import { truncate } from "~/utils/text";
import { useMemberName } from "~/components/member-name";
import { useCaseStudyRoom } from "~/realtime/hooks";
import { newFormKey } from "~/utils/ids.server";

const SITE = "Coal Regions Network";
const htmlLang = (lang: Lang) => (lang === "zh" ? "zh-CN" : "en");
const ogLocale = (lang: Lang) => (lang === "zh" ? "zh_CN" : "en_US");

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: `Not found · ${SITE}` }];
  const m = data.meta;
  const tags: MetaDescriptor[] = [
    { title: `${m.title} · ${SITE}` },
    { name: "description", content: m.description },
    { property: "og:title", content: m.title },
    { property: "og:description", content: m.description },
    { property: "og:type", content: "article" },
    { property: "og:site_name", content: SITE },
    { property: "og:url", content: m.url },
    { property: "og:locale", content: ogLocale(m.language) },
    ...m.alternates.filter((a) => a.language !== m.language).map((a) => ({ property: "og:locale:alternate", content: ogLocale(a.language) })),
    { tagName: "link", rel: "canonical", href: m.url },
    ...m.alternates.map((a) => ({ tagName: "link", rel: "alternate", hrefLang: htmlLang(a.language), href: a.href })),
  ];
  if (m.publishedAt) tags.push({ property: "article:published_time", content: m.publishedAt });
  if (!m.indexable) tags.push({ name: "robots", content: "noindex" });
  return tags;
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = getActor(context);
  const locale = await resolveLocale(request, context);
  const url = new URL(request.url);
  const study = await loadOrThrow(request, () => getCaseStudy(actor, params.id ?? ""));
  const resource = caseStudyResource(study);
  const versions = study.versions.map(toVersionView);
  const asked = url.searchParams.get("lang");
  const wanted: Lang = asked === "en" || asked === "zh" ? asked : locale;
  const shown = versions.find((v) => v.language === wanted) ?? versions[0]!;
  const other = versions.find((v) => v.language !== shown.language) ?? null;
  const sideBySide = url.searchParams.get("view") === "side-by-side" && other !== null;
  const member = isActive(actor);
  const [comments, threads, endorsed] = member
    ? await Promise.all([listComments(actor, study.id, study), listCaseStudyThreads(actor, study.id), hasEndorsed(actor!.id, study.id)])
    : [[], [], false];
  // Canonical and alternate URLs from PUBLIC_URL, never from the request's Host header.
  const base = `${context.publicUrl}/case-studies/${study.id}`;
  const canEdit = can(actor, "caseStudy.edit", resource);
  const card: Pick<CardStudy, "regions" | "topics"> = {
    regions: study.regions.map((r) => ({ slug: r.region.slug, nameEn: r.region.nameEn, nameZh: r.region.nameZh, country: r.region.country })),
    topics: study.topics.map((tp) => ({ slug: tp.topic.slug, nameEn: tp.topic.nameEn, nameZh: tp.topic.nameZh })),
  };
  return {
    locale,
    study: {
      id: study.id,
      status: study.status,
      isPublic: study.isPublic,
      endorsementCount: study.endorsementCount,
      publishedAt: study.publishedAt?.toISOString() ?? null,
      author: study.author,
      ...card,
    },
    shown,
    other,
    wanted,
    sideBySide,
    missing: (["en", "zh"] as const).filter((lang) => !versions.some((v) => v.language === lang)),
    me: member ? { id: actor!.id } : null,
    // Sent with the comment form: resending the same comment never posts it twice.
    commentKey: newFormKey(),
    can: {
      edit: canEdit,
      translate: canEdit || can(actor, "caseStudy.translate", resource),
      editVersion: Object.fromEntries(
        study.versions.map((v) => [v.language, can(actor, "caseStudyVersion.edit", { id: v.id, authorId: v.authorId, caseStudy: resource })]),
      ) as Partial<Record<Lang, boolean>>,
      comment: can(actor, "caseStudy.comment", resource),
      endorse: can(actor, "caseStudy.endorse", resource),
    },
    endorsed,
    comments,
    threads: threads.map((th) => ({
      id: th.id,
      title: pick(locale, th.titleEn, th.titleZh),
      replyCount: th.replyCount,
      category: th.dialogue ? pick(locale, th.dialogue.titleEn, th.dialogue.titleZh) : null,
    })),
    meta: {
      title: shown.title,
      description: truncate(shown.summary || shown.title, 300),
      language: shown.language,
      url: `${base}?lang=${shown.language}`,
      publishedAt: study.publishedAt?.toISOString() ?? null,
      indexable: study.status === "published" && study.isPublic,
      alternates: versions.map((v) => ({ language: v.language, href: `${base}?lang=${v.language}` })),
    },
  };
}

const INTENTS = ["caseStudy.endorse", "caseStudy.unendorse", "caseStudy.publish", "caseStudy.delete", "caseStudyComment.create", "caseStudyComment.delete", "caseStudyComment.translate", "caseStudyComment.untranslate"];

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const caseStudyId = params.id ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (!INTENTS.includes(intent)) return data({ errors: { "": ["validation"] }, message: null, params: null, intent }, { status: 400 });
  const input: Record<string, unknown> = { ...formToInput(form), caseStudyId };
  const outcome = await runRequestCommand(request, context, intent, input);
  if (!outcome.ok) return commandErrorResponse(outcome, intent);
  if (intent === "caseStudy.delete") return redirect("/case-studies");
  const url = new URL(request.url);
  const anchor = intent.startsWith("caseStudyComment.") ? "#comments" : "";
  return redirect(`${url.pathname}${url.search}${anchor}`);
}

function VersionArticle({ version, other, canEdit, caseStudyId }: { version: VersionView; other: VersionView | null; canEdit: boolean; caseStudyId: string }) {
  const { t, i18n } = useTranslation();
  const name = useMemberName();
  const locale = (i18n.language === "zh" ? "zh" : "en") as Lang;
  const byKey = version.translation === "original" ? "caseStudies.writtenBy" : "caseStudies.translatedBy";
  return (
    <article className="cs-version" lang={htmlLang(version.language)} data-testid={`version-${version.language}`}>
      <header className="cs-version-header">
        <h1 className="cs-title">{version.title}</h1>
        <p className="cs-provenance" lang={htmlLang(locale)}>
          <span className="tag tag-lang">{t(`caseStudies.lang.${version.language}`)}</span>
          <span className={`tag tag-translation tag-${version.translation}`} data-testid="translation-kind">{t(`caseStudies.translation.${version.translation}`)}</span>
          <span className="muted">
            {t(byKey, { name: name(version.author.displayName) })} · {t("caseStudies.updated", { date: formatDate(version.updatedAt, locale) })}
          </span>
          {canEdit ? (
            <Link className="link-action" to={`/case-studies/${caseStudyId}/versions/${version.language}`}>
              {t("caseStudies.editVersion", { language: t(`caseStudies.lang.${version.language}`) })}
            </Link>
          ) : null}
        </p>
        {version.outdated ? (
          <p className="notice cs-outdated" role="note" data-testid="outdated-notice" lang={htmlLang(locale)}>
            {t("caseStudies.outdated", { other: t(`caseStudies.lang.${other?.language ?? (version.language === "en" ? "zh" : "en")}`) })}
          </p>
        ) : null}
        {version.summary ? <p className="lead cs-summary">{version.summary}</p> : null}
      </header>
      <div className="rich cs-body" dangerouslySetInnerHTML={{ __html: version.html }} />
    </article>
  );
}

export default function CaseStudyPage() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const name = useMemberName();
  const { study, shown, other } = d;
  const langName = (lang: Lang) => t(`caseStudies.lang.${lang}`);
  const commentErrors = actionData?.intent === "caseStudyComment.create" ? actionData.errors : undefined;
  const otherErrors = actionData && actionData.intent !== "caseStudyComment.create" ? actionData : null;
  const submitting = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  // Comments posted or deleted by anyone show live, and after a reconnect.
  const commentsLive = useCaseStudyRoom(study.id, Boolean(d.me));
  // The comment editor starts empty again after the member's own comment is posted (not when
  // someone else's arrives while they type).
  const [composerKey, setComposerKey] = useState(0);
  const retrying = useRetryWhenBusy("caseStudyComment.create", actionData);
  const posting = submitting("caseStudyComment.create");
  const wasPosting = useRef(false);
  useEffect(() => {
    if (posting) wasPosting.current = true;
    else if (navigation.state === "idle" && wasPosting.current) {
      wasPosting.current = false;
      if (!commentErrors) setComposerKey((key) => key + 1);
    }
  }, [posting, navigation.state, commentErrors]);
  return (
    <div className="stack-lg cs-page">
      <nav className="breadcrumbs">
        <Link to="/case-studies">{t("caseStudies.title")}</Link>
      </nav>

      <div className="cs-toolbar-row">
        <div className="cs-meta">
          {study.status === "draft" ? <span className="tag tag-draft" data-testid="draft-badge">{t("caseStudies.draft")}</span> : null}
          <span className="tag">{study.isPublic ? t("caseStudies.public") : t("caseStudies.membersOnly")}</span>
          {study.regions.map((r) => (
            <Link key={r.slug} className="tag tag-region" to={`/case-studies?region=${r.slug}`}>{pick(d.locale, r.nameEn, r.nameZh)}</Link>
          ))}
          {study.topics.map((tp) => (
            <Link key={tp.slug} className="tag tag-topic" to={`/case-studies?topic=${tp.slug}`}>{pick(d.locale, tp.nameEn, tp.nameZh)}</Link>
          ))}
        </div>
        <nav className="cs-lang-switch" aria-label={t("caseStudies.versions")} data-testid="version-switch">
          {other ? (
            d.sideBySide ? (
              <Link to={`?lang=${shown.language}`}>{t("caseStudies.single")}</Link>
            ) : (
              <>
                <Link to={`?lang=${other.language}`} hrefLang={htmlLang(other.language)} data-testid="switch-language">
                  {t("caseStudies.readIn", { language: langName(other.language) })}
                </Link>
                <Link to={`?lang=${shown.language}&view=side-by-side`} data-testid="side-by-side-link">{t("caseStudies.sideBySide")}</Link>
              </>
            )
          ) : (
            <span className="muted">{t("caseStudies.onlyOne", { language: langName(shown.language) })}</span>
          )}
        </nav>
      </div>

      {shown.language !== d.wanted && !d.sideBySide ? (
        <p className="notice" role="note">{t("caseStudies.fallback", { wanted: langName(d.wanted), shown: langName(shown.language) })}</p>
      ) : null}

      {d.sideBySide && other ? (
        <div className="cs-side-by-side" data-testid="side-by-side">
          <VersionArticle version={shown} other={other} canEdit={Boolean(d.can.editVersion[shown.language])} caseStudyId={study.id} />
          <VersionArticle version={other} other={shown} canEdit={Boolean(d.can.editVersion[other.language])} caseStudyId={study.id} />
        </div>
      ) : (
        <VersionArticle version={shown} other={other} canEdit={Boolean(d.can.editVersion[shown.language])} caseStudyId={study.id} />
      )}

      <p className="muted cs-byline">
        {t("caseStudies.by", { name: name(study.author.displayName) })}
        {study.publishedAt ? ` · ${t("caseStudies.publishedOn", { date: formatDate(study.publishedAt, d.locale) })}` : ""}
      </p>

      <div className="cs-actions card">
        <span data-testid="endorsement-count">{t("caseStudies.endorsements", { count: study.endorsementCount })}</span>
        {d.can.endorse ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value={d.endorsed ? "caseStudy.unendorse" : "caseStudy.endorse"} />
            <button type="submit" className={d.endorsed ? "button button-small button-secondary" : "button button-small"} aria-pressed={d.endorsed} data-testid="endorse-button">
              {d.endorsed ? `✓ ${t("caseStudies.endorsed")}` : t("caseStudies.endorse")}
            </button>
          </Form>
        ) : null}
        {d.missing.length && d.can.translate
          ? d.missing.map((lang) => (
              <Link key={lang} className="button button-small button-secondary" to={`/case-studies/${study.id}/versions/${lang}`} data-testid={`add-version-${lang}`}>
                {t("caseStudies.addVersion", { language: langName(lang) })}
              </Link>
            ))
          : null}
        {d.can.edit ? (
          <>
            <Link className="button button-small button-secondary" to={`/case-studies/${study.id}/edit`}>{t("caseStudies.editDetails")}</Link>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="caseStudy.publish" />
              <input type="hidden" name="published" value={study.status === "published" ? "false" : "true"} />
              <button type="submit" className={study.status === "published" ? "button button-small button-secondary" : "button button-small"} disabled={submitting("caseStudy.publish")} data-testid="publish-button">
                {study.status === "published" ? t("caseStudies.unpublish") : t("caseStudies.publish")}
              </button>
            </Form>
            <Form
              method="post"
              className="inline-form"
              onSubmit={(event) => {
                if (!window.confirm(t("caseStudies.deleteConfirm"))) event.preventDefault();
              }}
            >
              <input type="hidden" name="intent" value="caseStudy.delete" />
              <button type="submit" className="link-action danger">{t("caseStudies.delete")}</button>
            </Form>
          </>
        ) : null}
        {otherErrors?.message ? <p className="field-error" role="alert">{otherErrors.message}</p> : null}
      </div>

      {d.me ? (
        <section className="stack" data-testid="case-study-threads">
          <div className="page-header">
            <h2>{t("caseStudies.threads")}</h2>
            {study.status === "published" ? (
              <Link className="button button-small" to={`/threads/new?caseStudy=${study.id}`} data-testid="start-thread">{t("caseStudies.startThread")}</Link>
            ) : null}
          </div>
          {d.threads.length ? (
            <ul className="plain-list">
              {d.threads.map((th) => (
                <li key={th.id}>
                  <Link to={`/threads/${th.id}`} className="thread-link">{th.title}</Link>{" "}
                  <span className="muted">· {th.category ?? t("nav.network")} · {t("caseStudies.replies", { count: th.replyCount })}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t("caseStudies.noThreads")}</p>
          )}
        </section>
      ) : null}

      <section className="stack" id="comments" data-testid="case-study-comments" data-live={commentsLive ? "true" : "false"}>
        <h2>{t("caseStudies.comments")}</h2>
        {d.me ? (
          <>
            {d.comments.length ? (
              <ol className="plain-list cs-comments">
                {d.comments.map((c) => (
                  <li key={c.id} className="card cs-comment" data-testid="comment">
                    <p className="muted">
                      <strong>{name(c.author.displayName)}</strong> · {formatDate(c.createdAt, d.locale)}
                    </p>
                    <TranslatedComment language={c.language} translations={c.translations} lang={d.locale}>
                      <div className="rich" lang={htmlLang(c.language)} dangerouslySetInnerHTML={{ __html: c.html }} />
                    </TranslatedComment>
                    <CommentTranslationForms intentPrefix="caseStudyComment" commentId={c.id} language={c.language} translations={c.translations} canUntranslate={c.canUntranslate} />
                    {c.canDelete ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="caseStudyComment.delete" />
                        <input type="hidden" name="commentId" value={c.id} />
                        <button type="submit" className="link-action danger">{t("caseStudies.deleteComment")}</button>
                      </Form>
                    ) : null}
                  </li>
                ))}
              </ol>
            ) : (
              <p className="muted">{t("caseStudies.noComments")}</p>
            )}
            {d.can.comment ? (
              <Form method="post" className="form" data-testid="comment-form">
                <input type="hidden" name="intent" value="caseStudyComment.create" />
                <input type="hidden" name="idempotencyKey" value={d.commentKey} />
                <label htmlFor="comment-body">{t("caseStudies.yourComment")}</label>
                <ReplyEditor key={composerKey} id="comment-body" rows={4} />
                <FieldError errors={commentErrors} name="content" />
                <FieldError errors={commentErrors} name="body" />
                <FieldError errors={commentErrors} name="" />
                <BusyRetryNote attempt={retrying} />
                <div className="form-actions">
                  <button type="submit" className="button" disabled={submitting("caseStudyComment.create")}>
                    {submitting("caseStudyComment.create") ? t("common.working") : t("caseStudies.postComment")}
                  </button>
                </div>
              </Form>
            ) : null}
          </>
        ) : (
          <p className="muted">
            <Link to={`/signin?redirectTo=${encodeURIComponent(`/case-studies/${study.id}`)}`}>{t("nav.signIn")}</Link> · {t("caseStudies.signInToComment")}
          </p>
        )}
      </section>
    </div>
  );
}
