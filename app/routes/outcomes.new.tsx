/**
 * `/outcomes/new`: a member proposes an outcome, in one language or both; "Propose as outcome" on
 * a thread or note links here with `?from=thread:<id>`, which becomes its origin. Staff review it
 * into the register.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SubmitButton } from "~/components/forms";
import { OutcomeFields, outcomeFormInput } from "~/components/outcomes";
import { getActor, requireUser } from "~/http/auth.server";
import { commandErrorResponse, runRequestCommand } from "~/http/commands.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { listRegions } from "~/models/dialogues.server";
import { originFromQuery } from "~/models/outcomes/outcomes.server";
import { pick } from "~/utils/content";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "outcomes.propose");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const from = new URL(request.url).searchParams.get("from");
  const [origin, regions] = await Promise.all([originFromQuery(getActor(context), from, locale), listRegions()]);
  return { origin, locale, regions: regions.map((r) => ({ id: r.id, name: pick(locale, r.nameEn, r.nameZh) })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const from = String(form.get("from") ?? "");
  const match = /^(dialogue|thread|note|case_study):(.+)$/.exec(from);
  const input = { ...outcomeFormInput(form), ...(match ? { origin: { kind: match[1], refId: match[2] } } : {}) };
  const outcome = await runRequestCommand(request, context, "outcome.propose", input);
  if (!outcome.ok) return commandErrorResponse(outcome, "outcome.propose");
  return redirect(`/outcomes/${(outcome.result as { outcomeId: string }).outcomeId}`);
}

export default function ProposeOutcome() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg narrow-wide">
      <nav className="breadcrumbs"><Link to="/outcomes">{t("outcomes.title")}</Link></nav>
      <h1>{t("outcomes.propose")}</h1>
      <p className="muted">{t("outcomes.proposeHelp")}</p>
      <Form method="post" className="form card" data-testid="outcome-form">
        {d.origin ? (
          <p data-testid="outcome-origin">
            {t("outcomes.from")} <strong>{t(`outcomes.origin.${d.origin.kind}`)}</strong>: <Link to={d.origin.href!}>{d.origin.title}</Link>
            <input type="hidden" name="from" value={`${d.origin.kind}:${d.origin.refId}`} />
          </p>
        ) : null}
        <OutcomeFields
          values={{ type: "policy_idea", titleEn: "", titleZh: "", summaryEn: "", summaryZh: "", isPublic: true, regionIds: [] }}
          regions={d.regions}
          errors={actionData?.errors}
        />
        <div className="form-actions">
          <SubmitButton>{t("outcomes.submitProposal")}</SubmitButton>
          <Link to="/outcomes">{t("common.cancel")}</Link>
        </div>
      </Form>
    </div>
  );
}
