import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { StatusBadge, WhenBlock } from "~/components/dialogues";
import { FieldError, SubmitButton } from "~/components/forms";
import { getActor } from "~/auth.server";
import { can } from "~/policy.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { displayStatus, getDialogue } from "~/models/dialogues.server";
import { participationInput, requestParticipation } from "~/models/participation.server";
import { paragraphs, pick } from "~/utils/content";
import { dialogueWhen } from "~/utils/dates";
import { actionError, invalidForm, loadOrThrow } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.title} · Coal Regions Network` }, { name: "description", content: data.abstract.slice(0, 200) }] : [{ title: "Not found" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request, context);
  const d = await loadOrThrow(request, () => getDialogue(params.slug ?? ""));
  const user = context.auth?.user ?? null;
  return {
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
    thread: d.threads[0] ? { id: d.threads[0].id, replyCount: d.threads[0].replyCount } : null,
    signedIn: user !== null,
    canManage: can(getActor(context), "dialogue.manage"),
    requested: new URL(request.url).searchParams.get("requested") === "1",
    prefill: user ? { name: user.displayName, email: user.email } : null,
  };
}

const participationForm = participationInput.omit({ dialogueId: true });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const dialogue = await loadOrThrow(request, () => getDialogue(params.slug ?? ""));
  const submission = parseWithZod(await request.formData(), { schema: participationForm });
  if (submission.status !== "success") return invalidForm(submission.error);
  try {
    await requestParticipation(getActor(context), { ...submission.value, dialogueId: dialogue.id });
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
        {d.canManage ? (
          <p><Link to={`/admin/dialogues/${d.slug}`} className="button button-secondary button-small">{t("schedule.edit")}</Link></p>
        ) : null}
      </header>

      <div className="two-col">
        <section className="stack">
          <WhenBlock when={d.when} eventNote={d.eventNote} />
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
          <section className="card">
            <h2>{t("dialogue.discussion")}</h2>
            {d.thread ? (
              d.signedIn ? (
                <p>
                  <Link to={`/threads/${d.thread.id}`} className="button" data-testid="open-thread">
                    {t("dialogue.openThread")}
                  </Link>{" "}
                  <span className="muted">{t("thread.replyCount", { count: d.thread.replyCount })}</span>
                </p>
              ) : (
                <p>
                  {t("dialogue.signInToDiscuss")}{" "}
                  <Link to={`/signin?redirectTo=/threads/${d.thread.id}`}>{t("nav.signIn")}</Link>
                </p>
              )
            ) : null}
          </section>

          <section className="card" id="participate">
            <h2>{t("participate.title")}</h2>
            {d.requested ? (
              <p className="notice success" role="status">{t("participate.thanks")}</p>
            ) : (
              <Form method="post" className="form" noValidate>
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
        </aside>
      </div>
    </div>
  );
}
