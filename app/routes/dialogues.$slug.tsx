import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { AddToCalendar, StatusBadge, WhenBlock } from "~/components/dialogues";
import { FieldError, SubmitButton } from "~/components/forms";
import { getActor, requireUser } from "~/http/auth.server";
import { ThreadList } from "~/components/thread-list";
import { WatchLevelForm } from "~/components/watch-level";
import { getCategoryWatch, listThreads } from "~/models/threads.server";
import { useCategoryRoom } from "~/realtime/hooks";
import { commandErrorResponse, runRequestCommand } from "~/http/commands.server";
import { can } from "~/policy.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { displayStatus, getDialogue } from "~/models/dialogues.server";
import { listParticipants, myParticipation, participationInput, requestParticipation } from "~/models/track2/participation.server";
import { getAgenda, summaryNoteFor } from "~/models/track2/dialogue-settings.server";
import { AttributionBanner, MyParticipation, ParticipantList } from "~/components/track2";
import { paragraphs, pick } from "~/utils/content";
import { dialogueWhen } from "~/utils/dates";
import { actionError, invalidForm, loadOrThrow } from "~/utils/http.server";
import { truncate } from "~/utils/text";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.title} · Coal Regions Network` }, { name: "description", content: truncate(data.abstract, 200) }] : [{ title: "Not found" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request, context);
  const d = await loadOrThrow(request, () => getDialogue(params.slug ?? ""));
  const user = context.auth?.user ?? null;
  const actor = getActor(context);
  const mine = user ? await myParticipation(user.id, d.id) : null;
  const summaryNote = await summaryNoteFor(actor, d.summaryNoteId);
  return {
    attribution: d.attributionLevel,
    agenda: await getAgenda(actor, d, locale),
    summary: pick(locale, d.summaryEn, d.summaryZh),
    summaryNote,
    participants: actor ? await listParticipants(actor, d) : null,
    mine: mine ? { id: mine.id, status: mine.status, role: mine.role, decisionNote: mine.decisionNote } : null,
    slug: d.slug,
    kind: d.kind,
    title: pick(locale, d.titleEn, d.titleZh),
    otherTitle: locale === "zh" ? d.titleEn : d.titleZh,
    abstract: pick(locale, d.abstractEn, d.abstractZh),
    status: displayStatus(d),
    when: dialogueWhen(d, locale),
    eventNote: pick(locale, d.eventNoteEn, d.eventNoteZh),
    series: { slug: d.series.slug, title: pick(locale, d.series.titleEn, d.series.titleZh) },
    regions: d.regions.map((r) => ({ slug: r.region.slug, name: pick(locale, r.region.nameEn, r.region.nameZh) })),
    id: d.id,
    threads: user
      ? await listThreads(getActor(context), { dialogueId: d.id, cursor: new URL(request.url).searchParams.get("cursor") }).then((page) => ({
          ...page,
          threads: page.threads.map((t) => ({ ...t, title: pick(locale, t.titleEn, t.titleZh) })),
        }))
      : null,
    level: user ? await getCategoryWatch(user.id, `dialogue:${d.id}`) : "normal",
    signedIn: user !== null,
    canManage: can(getActor(context), "dialogue.manage"),
    requested: new URL(request.url).searchParams.get("requested") === "1",
    prefill: user ? { name: user.displayName, email: user.email } : null,
  };
}

const participationForm = participationInput.omit({ dialogueId: true });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const dialogue = await loadOrThrow(request, () => getDialogue(params.slug ?? ""));
  const formData = await request.formData();
  if (formData.get("intent") === "participation.cancel") {
    requireUser(context, request);
    const outcome = await runRequestCommand(request, context, "participation.cancel", { requestId: formData.get("requestId") });
    if (!outcome.ok) return commandErrorResponse(outcome, "participation.cancel");
    return redirect(`/dialogues/${dialogue.slug}#participate`);
  }
  if (formData.get("intent") === "category.watch") {
    requireUser(context, request);
    const outcome = await runRequestCommand(request, context, "category.watch", { level: formData.get("level"), categoryKey: `dialogue:${dialogue.id}` });
    if (!outcome.ok) return commandErrorResponse(outcome, "category.watch");
    return redirect(`/dialogues/${dialogue.slug}#discussion`);
  }
  const submission = parseWithZod(formData, { schema: participationForm });
  if (submission.status !== "success") return invalidForm(submission.error);
  try {
    await requestParticipation(getActor(context), { ...submission.value, dialogueId: dialogue.id }, await resolveLocale(request, context));
  } catch (error) {
    return actionError(error);
  }
  return redirect(`/dialogues/${dialogue.slug}?requested=1#participate`);
}

export default function DialoguePage() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const { t } = useTranslation();
  useCategoryRoom(d.threads ? `dialogue:${d.id}` : null);
  return (
    <div className="stack-lg">
      <nav className="breadcrumbs">
        <Link to="/">{t("nav.programme")}</Link> › <Link to={`/series/${d.series.slug}`}>{d.series.title}</Link>
      </nav>
      <header>
        <div className="card-meta">
          <StatusBadge status={d.status} />
          {d.kind === "study" ? <span className="badge">{t("dialogue.study")}</span> : null}
        </div>
        <h1 data-testid="dialogue-heading">{d.title}</h1>
        {d.otherTitle && d.otherTitle !== d.title ? <p className="muted other-lang">{d.otherTitle}</p> : null}
        <AttributionBanner level={d.attribution} />
        {d.canManage ? (
          <p><Link to={`/admin/dialogues/${d.slug}`} className="button button-secondary button-small">{t("schedule.edit")}</Link></p>
        ) : null}
      </header>

      <section id="discussion" className="stack">
        <div className="page-header">
          <h2>{t("dialogue.discussion")}</h2>
          {d.threads ? (
            <div className="page-actions">
              <Link to={`/threads/new?dialogue=${d.slug}`} className="button button-small" data-testid="new-thread">{t("threads.new")}</Link>
              <WatchLevelForm level={d.level} intent="category.watch" />
            </div>
          ) : null}
        </div>
        {d.threads ? (
          <ThreadList threads={d.threads.threads} nextCursor={d.threads.nextCursor} />
        ) : (
          <p className="card">
            {t("dialogue.signInToDiscuss")} <Link to={`/signin?redirectTo=/dialogues/${d.slug}`}>{t("nav.signIn")}</Link>
          </p>
        )}
      </section>

      <div className="two-col">
        <section className="stack">
          <WhenBlock when={d.when} eventNote={d.eventNote} />
          {d.when.eastern || d.when.day ? <AddToCalendar slug={d.slug} /> : null}
          {d.agenda.length ? (
            <section className="stack" id="agenda" data-testid="agenda">
              <h2>{t("agenda.title")}</h2>
              <table className="table agenda">
                <tbody>
                  {d.agenda.map((item, i) => (
                    <tr key={i} data-testid="agenda-item">
                      <td className="muted nowrap">{item.startsAt}</td>
                      <td>
                        {item.title}
                        {item.otherTitle && item.otherTitle !== item.title ? <div className="muted small other-lang">{item.otherTitle}</div> : null}
                      </td>
                      <td>
                        {item.speaker ? <Link to={`/members/${item.speaker.id}`}>{item.speaker.name}</Link> : item.withheld ? <span className="muted" data-testid="speaker-withheld">{t("agenda.speakerWithheld")}</span> : null}
                        {item.staffOnly ? <span className="badge staff-only">{t("attribution.staffOnlyShort")}</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}
          {d.summary || d.summaryNote ? (
            <section className="prose" id="summary" data-testid="dialogue-summary">
              <h2>{t("agenda.summary")}</h2>
              {d.summary ? paragraphs(d.summary).map((p, i) => <p key={i}>{p}</p>) : null}
              {d.summaryNote ? <p><Link to={`/notes/${d.summaryNote.id}`}>{t("agenda.summaryNote", { title: d.summaryNote.title })}</Link></p> : null}
            </section>
          ) : null}
          <div className="prose">
            <h2>{t("dialogue.abstract")}</h2>
            {d.abstract ? paragraphs(d.abstract).map((p, i) => <p key={i}>{p}</p>) : <p className="muted">{t("dialogue.noAbstract")}</p>}
          </div>
          {d.regions.length ? (
            <div>
              <h2>{t("dialogue.regions")}</h2>
              <ul className="chips">
                {d.regions.map((r) => (
                  <li key={r.slug}><Link className="chip" to={`/regions/${r.slug}`}>{r.name}</Link></li>
                ))}
              </ul>
            </div>
          ) : null}
        </section>

        <aside className="stack">
          <section className="card" id="participate">
            <h2>{d.mine && ["pending", "approved", "waitlisted"].includes(d.mine.status) ? t("participate.yours") : t("participate.title")}</h2>
            {d.mine && ["pending", "approved", "waitlisted"].includes(d.mine.status) ? (
              <>
                {d.requested ? <p className="notice success" role="status">{t("participate.thanks")}</p> : null}
                <MyParticipation request={d.mine} />
              </>
            ) : d.requested ? (
              <p className="notice success" role="status">{t("participate.thanks")}</p>
            ) : (
              <Form method="post" className="form" noValidate>
                {d.mine ? <MyParticipation request={d.mine} /> : null}
                <p className="muted">{t("participate.intro")}</p>
                <label>
                  {t("fields.name")}
                  <input name="name" defaultValue={d.prefill?.name} required maxLength={120} autoComplete="name" />
                </label>
                <FieldError errors={errors} name="name" />
                <label>
                  {t("fields.email")}
                  <input name="email" type="email" defaultValue={d.prefill?.email} required autoComplete="email" />
                </label>
                <FieldError errors={errors} name="email" />
                <label>
                  {t("fields.organisation")}
                  <input name="organisation" maxLength={200} autoComplete="organization" />
                </label>
                <FieldError errors={errors} name="organisation" />
                <label>
                  {t("fields.message")}
                  <textarea name="message" rows={3} maxLength={2000} />
                </label>
                <FieldError errors={errors} name="message" />
                <FieldError errors={errors} name="" />
                <SubmitButton>{t("participate.submit")}</SubmitButton>
              </Form>
            )}
          </section>
          {d.participants ? <ParticipantList list={d.participants} level={d.attribution} /> : null}
        </aside>
      </div>
    </div>
  );
}
