/**
 * `/outcomes/<id>`: an outcome in the reader's language (the other beside it), its status, type,
 * regions, timeline, origins and evidence. Staff curate it here: review a proposal, edit it (from
 * the revision they saw), record a status with its day and note, link origins and evidence.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError, SubmitButton } from "~/components/forms";
import { OUTCOME_STATUSES, OutcomeFields, outcomeFormInput, OutcomeStatusBadge, OutcomeTypeBadge } from "~/components/outcomes";
import { LocalDay, TimeZoneField } from "~/components/time";
import { getActor } from "~/http/auth.server";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { listRegions } from "~/models/dialogues.server";
import { getOutcome, originFromAddress } from "~/models/outcomes/outcomes.server";
import { paragraphs, pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.outcome.title || data.outcome.otherTitle} · Coal Regions Network` : "Not found" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request, context);
  const outcome = await loadOrThrow(request, () => getOutcome(getActor(context), params.id ?? "", locale));
  const regions = outcome.canCurate ? await listRegions() : [];
  return { outcome, locale, regions: regions.map((r) => ({ id: r.id, name: pick(locale, r.nameEn, r.nameZh) })) };
}

/** The page's forms, each a named command. */
const INTENTS = ["outcome.update", "outcome.review", "outcome.setStatus", "outcome.addOrigin", "outcome.removeOrigin", "outcome.addEvidence", "outcome.removeEvidence", "outcome.delete"] as const;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const outcomeId = params.id ?? "";
  if (!(INTENTS as readonly string[]).includes(intent)) return data({ errors: { "": ["validation"] }, message: null, params: null, intent }, { status: 400 });
  let input: Record<string, unknown> = intent === "outcome.update" ? { ...outcomeFormInput(form), baseRevision: form.get("baseRevision") ?? undefined, outcomeId } : { ...formToInput(form), outcomeId };
  // Staff link an origin by pasting its page's address.
  if (intent === "outcome.addOrigin") {
    const origin = await originFromAddress(String(form.get("address") ?? ""));
    if (!origin) return data({ errors: { address: ["origin_address_invalid"] }, message: null, params: null, intent }, { status: 400 });
    input = { outcomeId, ...origin };
  }
  const outcome = await runRequestCommand(request, context, intent, input);
  if (!outcome.ok) return commandErrorResponse(outcome, intent);
  if (intent === "outcome.delete" || (intent === "outcome.review" && form.get("decision") === "decline")) return redirect("/outcomes");
  return redirect(`/outcomes/${outcomeId}`);
}

export default function OutcomePage() {
  const { outcome: o, regions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const errorsFor = (intent: string) => (actionData && "intent" in actionData && actionData.intent === intent ? actionData.errors : undefined);
  return (
    <div className="stack-lg">
      <nav className="breadcrumbs"><Link to="/outcomes">{t("outcomes.title")}</Link></nav>
      <header className="stack">
        <div className="badges">
          <OutcomeStatusBadge status={o.status} />
          <OutcomeTypeBadge type={o.type} />
          {o.isPublic ? null : <span className="badge">{t("outcomes.membersOnly")}</span>}
          {o.reviewed ? null : <span className="badge badge-tbd" data-testid="awaiting-review">{t("outcomes.awaitingReviewBadge")}</span>}
        </div>
        <h1 data-testid="outcome-title">{o.title || o.otherTitle}</h1>
        {o.title && o.otherTitle ? <p className="muted other-lang" data-testid="outcome-other-title">{o.otherTitle}</p> : null}
        {o.regions.length ? (
          <p className="muted">
            {o.regions.map((r, i) => (
              <span key={r.slug}>{i > 0 ? " · " : null}<Link to={`/regions/${r.slug}`}>{r.name}</Link></span>
            ))}
          </p>
        ) : null}
        {o.proposedBy ? <p className="muted small">{t("outcomes.proposedBy", { name: o.proposedBy.displayName })}</p> : null}
      </header>

      <div className="two-col">
        <section className="stack">
          <div className="prose" data-testid="outcome-summary">
            {(o.summary || o.otherSummary) ? paragraphs(o.summary || o.otherSummary).map((p, i) => <p key={i}>{p}</p>) : <p className="muted">{t("outcomes.noSummary")}</p>}
          </div>
          {o.summary && o.otherSummary ? (
            <details>
              <summary>{t("outcomes.otherLanguage")}</summary>
              <div className="prose" lang={o.summary === o.summaryEn ? "zh-CN" : "en"}>
                {paragraphs(o.otherSummary).map((p, i) => <p key={i}>{p}</p>)}
              </div>
            </details>
          ) : null}

          <section>
            <h2>{t("outcomes.timeline")}</h2>
            {o.timeline.length === 0 ? (
              <p className="muted">{t("outcomes.noTimeline")}</p>
            ) : (
              <ol className="outcome-timeline" data-testid="outcome-timeline">
                {o.timeline.map((step) => (
                  <li key={step.id} data-status={step.status}>
                    <LocalDay iso={step.occurredAt} /> <OutcomeStatusBadge status={step.status} />
                    {step.note ? <p>{step.note}</p> : null}
                    {step.actor ? <p className="muted small">{t("outcomes.recordedBy", { name: step.actor.displayName })}</p> : null}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </section>

        <aside className="stack">
          <section>
            <h2>{t("outcomes.origins")}</h2>
            {o.origins.length === 0 ? <p className="muted">{t("outcomes.noOrigins")}</p> : null}
            <ul className="list" data-testid="outcome-origins">
              {o.origins.map((origin) => (
                <li key={`${origin.kind}:${origin.refId}`}>
                  <span className="muted">{t(`outcomes.origin.${origin.kind}`)}: </span>
                  {origin.href ? <Link to={origin.href}>{origin.title}</Link> : <span className="muted">{t("outcomes.originHidden")}</span>}{" "}
                  {o.canCurate ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="kind" value={origin.kind} />
                      <input type="hidden" name="refId" value={origin.refId} />
                      <button type="submit" name="intent" value="outcome.removeOrigin" className="link-action danger">{t("outcomes.remove")}</button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
          <section>
            <h2>{t("outcomes.evidence")}</h2>
            {o.evidence.length === 0 ? <p className="muted">{t("outcomes.noEvidence")}</p> : null}
            <ul className="list" data-testid="outcome-evidence">
              {o.evidence.map((e) => (
                <li key={e.id}>
                  <a href={e.url} rel="nofollow noopener ugc" target="_blank">{e.label}</a>
                  {o.canCurate ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="evidenceId" value={e.id} />
                      <button type="submit" name="intent" value="outcome.removeEvidence" className="link-action danger">{t("outcomes.remove")}</button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        </aside>
      </div>

      {o.canCurate ? (
        <section className="card stack moderation-tools" data-testid="outcome-curation">
          <h2>{t("outcomes.curate")}</h2>
          {o.reviewed ? null : (
            <Form method="post" className="form-actions">
              <p>{t("outcomes.reviewHelp")}</p>
              <button type="submit" name="decision" value="accept" className="button" data-testid="accept-outcome">{t("outcomes.accept")}</button>
              <button type="submit" name="decision" value="decline" className="button button-danger">{t("outcomes.decline")}</button>
              <input type="hidden" name="intent" value="outcome.review" />
              <FieldError errors={errorsFor("outcome.review")} name="titleEn" />
              <FieldError errors={errorsFor("outcome.review")} name="titleZh" />
              <FieldError errors={errorsFor("outcome.review")} name="" />
            </Form>
          )}

          <details open={Boolean(errorsFor("outcome.update"))}>
            <summary>{t("outcomes.edit")}</summary>
            <Form method="post" className="form" data-testid="outcome-edit">
              <input type="hidden" name="baseRevision" value={o.revision} />
              <OutcomeFields
                values={{ type: o.type, titleEn: o.titleEn, titleZh: o.titleZh, summaryEn: o.summaryEn, summaryZh: o.summaryZh, isPublic: o.isPublic, regionIds: o.regionIds }}
                regions={regions}
                errors={errorsFor("outcome.update")}
              />
              <SubmitButton intent="outcome.update">{t("common.save")}</SubmitButton>
            </Form>
          </details>

          <Form method="post" className="form form-inline" data-testid="outcome-status-form">
            <label>
              {t("outcomes.statusLabel")}
              <select name="status" defaultValue={o.status}>
                {OUTCOME_STATUSES.map((s) => (
                  <option key={s} value={s}>{t(`outcomes.status.${s}`)}</option>
                ))}
              </select>
            </label>
            <label>
              {t("outcomes.day")}
              <input type="date" name="day" required />
              <TimeZoneField />
            </label>
            <label>
              {t("outcomes.note")}
              <input name="note" maxLength={2000} />
            </label>
            <SubmitButton intent="outcome.setStatus">{t("outcomes.recordStatus")}</SubmitButton>
            <FieldError errors={errorsFor("outcome.setStatus")} name="day" />
          </Form>

          <Form method="post" className="form form-inline" data-testid="outcome-evidence-form">
            <label>
              {t("outcomes.evidenceLabel")}
              <input name="label" maxLength={300} required />
            </label>
            <label>
              {t("outcomes.evidenceUrl")}
              <input name="url" type="url" maxLength={2000} required placeholder="https://" />
            </label>
            <SubmitButton intent="outcome.addEvidence">{t("outcomes.addEvidence")}</SubmitButton>
            <FieldError errors={errorsFor("outcome.addEvidence")} name="url" />
          </Form>

          <Form method="post" className="form form-inline" data-testid="outcome-origin-form">
            <label>
              {t("outcomes.originAddress")}
              <input name="address" maxLength={500} required placeholder="/threads/…" />
              <span className="hint">{t("outcomes.originAddressHint")}</span>
            </label>
            <SubmitButton intent="outcome.addOrigin">{t("outcomes.addOrigin")}</SubmitButton>
            <FieldError errors={errorsFor("outcome.addOrigin")} name="address" />
            <FieldError errors={errorsFor("outcome.addOrigin")} name="origin" />
          </Form>

          <Form method="post" onSubmit={(event) => { if (!confirm(t("outcomes.confirmDelete"))) event.preventDefault(); }}>
            <SubmitButton intent="outcome.delete" className="button button-danger button-small">{t("outcomes.delete")}</SubmitButton>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
