import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useTranslation } from "react-i18next";
import { FieldError, SubmitButton } from "~/components/forms";
import { getActor, requireAdmin } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { getDialogue, scheduleInput, updateDialogueSchedule } from "~/models/dialogues.server";
import { assertCan } from "~/policy.server";
import { pick } from "~/utils/content";
import { US_EASTERN } from "~/utils/dates";
import { actionError, invalidForm, loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { agendaAsText } from "~/models/track2/dialogue-settings.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "schedule.title");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const locale = await resolveLocale(request, context);
  const d = await loadOrThrow(request, async () => {
    assertCan(getActor(context), "dialogue.manage");
    return getDialogue(params.slug ?? "");
  });
  // Pre-fill in U.S. Eastern wall-clock time.
  let date = d.startsOn ?? "";
  let time = "";
  if (d.startsAt) {
    const parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: US_EASTERN, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(d.startsAt);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
    date = `${get("year")}-${get("month")}-${get("day")}`;
    time = `${get("hour")}:${get("minute")}`;
  }
  return {
    id: d.id,
    slug: d.slug,
    title: pick(locale, d.titleEn, d.titleZh),
    status: d.status,
    date,
    time,
    durationMinutes: d.durationMinutes,
    attributionLevel: d.attributionLevel,
    capacity: d.capacity,
    allowMachineTranslation: d.allowMachineTranslation,
    agenda: await agendaAsText(d.id),
    summaryEn: d.summaryEn,
    summaryZh: d.summaryZh,
    summaryNoteId: d.summaryNoteId ?? "",
  };
}

const TRACK2_INTENTS = ["dialogue.configure", "dialogue.setAgenda", "dialogue.setSummary"] as const;

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireAdmin(context, request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if ((TRACK2_INTENTS as readonly string[]).includes(intent)) {
    const dialogue = await loadOrThrow(request, () => getDialogue(params.slug ?? ""));
    const outcome = await runRequestCommand(request, context, intent, { ...formToInput(form), dialogueId: dialogue.id });
    if (!outcome.ok) return commandErrorResponse(outcome, intent);
    return redirect(`/dialogues/${dialogue.slug}`);
  }
  const submission = parseWithZod(form, { schema: scheduleInput });
  if (submission.status !== "success") return invalidForm(submission.error);
  try {
    await updateDialogueSchedule(getActor(context), params.slug ?? "", submission.value);
  } catch (error) {
    return actionError(error);
  }
  return redirect(`/dialogues/${params.slug}`);
}

/** The refusal of one of the Track 2 forms, in the admin's language, under that form. */
function Track2Error({ data, intent }: { data: unknown; intent: string }) {
  const refused = data && typeof data === "object" && (data as { intent?: unknown }).intent === intent ? (data as { message?: string | null }).message : null;
  return refused ? <p className="field-error" role="alert" data-testid="track2-error">{refused}</p> : null;
}

export default function EditSchedule() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const { t } = useTranslation();
  return (
    <div className="narrow card stack">
      <nav className="breadcrumbs"><Link to={`/dialogues/${d.slug}`}>{d.title}</Link></nav>
      <h1>{t("schedule.title")}</h1>
      <Form method="post" className="form" noValidate>
        <label>
          {t("schedule.status")}
          <select name="status" defaultValue={d.status}>
            <option value="scheduled">{t("status.scheduled")}</option>
            <option value="tbd">{t("status.tbd")}</option>
            <option value="held">{t("status.held")}</option>
            <option value="cancelled">{t("status.cancelled")}</option>
          </select>
          <span className="hint">{t("schedule.cancelHint")}</span>
        </label>
        <FieldError errors={errors} name="status" />
        <label>
          {t("dialogue.date")}
          <input type="date" name="date" defaultValue={d.date} />
        </label>
        <FieldError errors={errors} name="date" />
        <label>
          {t("schedule.time")}
          <input type="time" name="time" defaultValue={d.time} />
          <span className="hint">{t("schedule.timeHint")}</span>
        </label>
        <FieldError errors={errors} name="time" />
        <label>
          {t("schedule.zone")}
          <select name="zone" defaultValue="America/New_York">
            <option value="America/New_York">{t("dialogue.usEastern")}</option>
            <option value="Asia/Shanghai">{t("dialogue.chinaTime")}</option>
          </select>
        </label>
        <label>
          {t("schedule.duration")}
          <input type="number" name="durationMinutes" min={15} max={4320} step={15} defaultValue={d.durationMinutes} />
          <span className="hint">{t("schedule.durationHint")}</span>
        </label>
        <FieldError errors={errors} name="durationMinutes" />
        <FieldError errors={errors} name="" />
        <SubmitButton>{t("schedule.save")}</SubmitButton>
      </Form>

      <h2>{t("attribution.dialogueSettings")}</h2>
      <Form method="post" className="form" noValidate data-testid="dialogue-configure">
        <input type="hidden" name="intent" value="dialogue.configure" />
        <label>
          {t("attribution.dialogueLevel")}
          <select name="attributionLevel" defaultValue={d.attributionLevel}>
            {(["on_record", "chatham_house", "off_the_record"] as const).map((level) => (
              <option key={level} value={level}>{t(`attribution.levels.${level}`)}</option>
            ))}
          </select>
          <span className="hint">{t("attribution.dialogueLevelHint")}</span>
        </label>
        <label>
          {t("participants.capacity")}
          <input type="number" name="capacity" min={1} max={10000} defaultValue={d.capacity ?? ""} />
          <span className="hint">{t("participants.capacityHint")}</span>
        </label>
        <label className="checkbox">
          <input type="checkbox" name="allowMachineTranslation" defaultChecked={d.allowMachineTranslation} data-testid="allow-machine-translation" />{" "}
          {t("translation.allowMachine")}
          <span className="hint">{t("translation.allowMachineHint")}</span>
        </label>
        <Track2Error data={actionData} intent="dialogue.configure" />
        <SubmitButton>{t("common.save")}</SubmitButton>
      </Form>

      <h2>{t("agenda.title")}</h2>
      <Form method="post" className="form" noValidate data-testid="dialogue-agenda">
        <input type="hidden" name="intent" value="dialogue.setAgenda" />
        <label>
          {t("agenda.lines")}
          <textarea name="items" rows={8} defaultValue={d.agenda} placeholder="09:00–10:30 | Opening session | 开幕式 | speaker@example.org" />
          <span className="hint">{t("agenda.linesHint")}</span>
        </label>
        <Track2Error data={actionData} intent="dialogue.setAgenda" />
        <SubmitButton>{t("common.save")}</SubmitButton>
      </Form>

      <h2>{t("agenda.summary")}</h2>
      <Form method="post" className="form" noValidate data-testid="dialogue-summary-form">
        <input type="hidden" name="intent" value="dialogue.setSummary" />
        <label>
          {t("agenda.summaryEn")}
          <textarea name="summaryEn" rows={6} lang="en" defaultValue={d.summaryEn} />
        </label>
        <label>
          {t("agenda.summaryZh")}
          <textarea name="summaryZh" rows={6} lang="zh-CN" defaultValue={d.summaryZh} />
        </label>
        <label>
          {t("agenda.summaryNoteId")}
          <input name="summaryNoteId" defaultValue={d.summaryNoteId} maxLength={40} />
          <span className="hint">{t("agenda.summaryNoteHint")}</span>
        </label>
        <Track2Error data={actionData} intent="dialogue.setSummary" />
        <SubmitButton>{t("common.save")}</SubmitButton>
      </Form>
    </div>
  );
}
