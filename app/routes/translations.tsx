import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SubmitButton, type Errors } from "~/components/forms";
import { useSpeakerName } from "~/components/member-name";
import { LocalTime } from "~/components/time";
import { getActor, requireUser } from "~/http/auth.server";
import { commandErrorResponse, runRequestCommand } from "~/http/commands.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { listTranslationQueue, queueFilterOptions, type QueueItem } from "~/models/translations/queue.server";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "translations.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const params = new URL(request.url).searchParams;
  const filters = { dialogue: params.get("dialogue") || null, region: params.get("region") || null };
  const [queue, options] = await Promise.all([
    loadOrThrow(request, () => listTranslationQueue(getActor(context), { ...filters, page: Number(params.get("page") ?? 1), locale })),
    queueFilterOptions(locale),
  ]);
  return { ...queue, filters, options };
}

/** The commands the queue's forms post, and the field each names its item by; anything else is refused. */
const INTENTS = { "reply.translate": "replyId", "thread.translateTitle": "threadId", "caseStudyComment.translate": "commentId", "noteComment.translate": "commentId" } as const;
const isIntent = (intent: string): intent is keyof typeof INTENTS => Object.hasOwn(INTENTS, intent);

export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (!isIntent(intent)) return data({ errors: { "": ["validation"] } as Errors, itemId: null }, { status: 400 });
  const itemId = String(form.get("itemId") ?? "");
  const text = String(form.get(intent === "thread.translateTitle" ? "title" : "body") ?? "");
  const input = {
    [INTENTS[intent]]: itemId,
    language: String(form.get("language") ?? ""),
    ...(intent === "thread.translateTitle" ? { title: text } : { body: text }),
  };
  const outcome = await runRequestCommand(request, context, intent, input);
  if (!outcome.ok) {
    const response = commandErrorResponse(outcome, intent);
    // The message goes under the item's own form, with what was typed kept.
    return data({ ...response.data, itemId, typed: text }, response.init ?? undefined);
  }
  // Back to the same page and filters (post/redirect/get), saying which item was translated.
  const url = new URL(request.url);
  url.searchParams.set("translated", itemId);
  return redirect(`${url.pathname}?${url.searchParams}`);
}

export default function TranslationQueue() {
  const { items, page, hasMore, filters, options } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const translated = searchParams.get("translated");
  const pageLink = (n: number) => {
    const next = new URLSearchParams(searchParams);
    next.delete("translated");
    next.set("page", String(n));
    return `?${next}`;
  };
  return (
    <div className="stack-lg narrow-wide">
      <header className="page-header">
        <h1>{t("translations.title")}</h1>
      </header>
      <p className="muted">{t("translations.intro")}</p>
      {translated ? <p className="notice success" role="status" data-testid="translation-saved">{t("translations.saved")}</p> : null}
      <Form method="get" className="form filter-form queue-filters" data-testid="queue-filters">
        <div className="form-row form-row-2">
          <label>
            {t("translations.dialogue")}
            <select name="dialogue" defaultValue={filters.dialogue ?? ""}>
              <option value="">{t("translations.allDialogues")}</option>
              {options.dialogues.map((d) => (
                <option key={d.slug} value={d.slug}>{d.title}</option>
              ))}
            </select>
          </label>
          <label>
            {t("translations.region")}
            <select name="region" defaultValue={filters.region ?? ""}>
              <option value="">{t("translations.allRegions")}</option>
              {(["US", "CN"] as const).map((country) => (
                <optgroup key={country} label={t(`country.${country}`)}>
                  {options.regions.filter((r) => r.country === country).map((r) => (
                    <option key={r.slug} value={r.slug}>{r.name}</option>
                  ))}
                </optgroup>
              ))}
            </select>
            <span className="hint">{t("translations.regionHint")}</span>
          </label>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-secondary button-small">{t("translations.filter")}</button>
        </div>
      </Form>
      {items.length === 0 ? (
        <p className="muted card" data-testid="queue-empty">{filters.dialogue || filters.region ? t("translations.emptyFiltered") : t("translations.empty")}</p>
      ) : (
        <ol className="list queue-list" data-testid="translation-queue">
          {items.map((item) => (
            <QueueEntry key={`${item.kind}-${item.id}`} item={item} />
          ))}
        </ol>
      )}
      <nav className="search-pager">
        {page > 1 ? <Link className="pager" to={pageLink(page - 1)}>{t("translations.newer")}</Link> : null}
        {hasMore ? <Link className="pager" to={pageLink(page + 1)}>{t("translations.older")}</Link> : null}
      </nav>
    </div>
  );
}

/** One waiting reply or title: what it says, where, by whom (under the attribution rules), and a form to translate it here. */
function QueueEntry({ item }: { item: QueueItem }) {
  const { t } = useTranslation();
  const speaker = useSpeakerName();
  const actionData = useActionData<{ errors?: Errors; itemId?: string | null; typed?: string; message?: string }>();
  const failed = actionData?.itemId === item.id ? actionData : undefined;
  const threadLink =
    item.kind === "reply"
      ? `/threads/${item.thread.id}?after=${Math.max(item.postNumber - 1, 0)}#post-${item.postNumber}`
      : item.kind === "title"
        ? `/threads/${item.thread.id}`
        : item.place.href;
  const intent = item.kind === "reply" ? "reply.translate" : item.kind === "title" ? "thread.translateTitle" : item.kind === "case_study_comment" ? "caseStudyComment.translate" : "noteComment.translate";
  const fieldId = `translate-${item.kind}-${item.id}`;
  return (
    <li className="card queue-item" data-testid="queue-item" data-kind={item.kind} data-item-id={item.id} data-outdated={item.outdated ? "" : undefined} data-requested={item.requested ? "" : undefined}>
      <div className="queue-meta">
        <span className="badge" data-testid="queue-kind">{t(`translations.kinds.${item.kind}`)}</span>
        <span className="queue-languages" lang="und" aria-label={t("translations.direction", { from: t(`translation.languages.${item.from}`), to: t(`translation.languages.${item.to}`) })}>
          <span lang={item.from === "zh" ? "zh-CN" : "en"}>{t(`translation.languages.${item.from}`)}</span> → <span lang={item.to === "zh" ? "zh-CN" : "en"}>{t(`translation.languages.${item.to}`)}</span>
        </span>
        {item.requested ? <span className="badge badge-scheduled" data-testid="queue-requested">{t("translations.requested")}</span> : null}
        {item.outdated ? <span className="badge badge-tbd" data-testid="queue-outdated">{t("translations.outdated")}</span> : null}
      </div>
      <blockquote className="excerpt queue-excerpt" lang={item.from === "zh" ? "zh-CN" : "en"}>{item.excerpt}</blockquote>
      <p className="muted small">
        {item.kind === "reply" ? (
          <>
            {t("translations.inThread")} <Link to={threadLink}>{item.thread.title}</Link> · #{item.postNumber}
          </>
        ) : item.kind === "title" ? (
          <Link to={threadLink}>{t("translations.openThread")}</Link>
        ) : (
          <>
            {t(`translations.on.${item.kind}`)} <Link to={threadLink}>{item.place.title}</Link>
          </>
        )}
        {item.author ? <> · {speaker(item.author)}</> : null} · <LocalTime iso={item.at} />
        {item.outdated && item.kind === "reply" ? (
          <> · <Link to={`/replies/${item.id}/history`}>{t("translations.whatChanged")}</Link></>
        ) : null}
      </p>
      <details className="queue-translate" open={Boolean(failed)}>
        <summary>{item.outdated ? t("translations.update") : t("translations.translate")}</summary>
        {item.kind === "reply" ? (
          <div className="rich queue-original" lang={item.from === "zh" ? "zh-CN" : "en"} dangerouslySetInnerHTML={{ __html: item.html }} />
        ) : null}
        <Form method="post" className="form" data-testid="queue-translate-form">
          <input type="hidden" name="itemId" value={item.id} />
          <input type="hidden" name="language" value={item.to} />
          <label htmlFor={fieldId}>{t("translations.yourTranslation", { language: t(`translation.languages.${item.to}`) })}</label>
          {item.kind !== "title" ? (
            <textarea id={fieldId} name="body" rows={6} lang={item.to === "zh" ? "zh-CN" : "en"} defaultValue={failed?.typed ?? item.previous} maxLength={20_000} required aria-invalid={failed?.errors ? true : undefined} />
          ) : (
            <input id={fieldId} name="title" lang={item.to === "zh" ? "zh-CN" : "en"} defaultValue={failed?.typed ?? item.previous} maxLength={200} required aria-invalid={failed?.errors ? true : undefined} />
          )}
          {failed?.message ? <p className="field-error" role="alert" data-testid="queue-error">{failed.message}</p> : null}
          <div className="form-actions">
            <SubmitButton intent={intent} className="button button-small">
              {t("translations.save")}
            </SubmitButton>
          </div>
        </Form>
      </details>
    </li>
  );
}
