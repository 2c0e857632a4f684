import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError } from "~/components/forms";
import { getActor, requireAdmin } from "~/http/auth.server";
import { listTopics } from "~/models/topics.server";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "titles.topics");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  return { topics: await loadOrThrow(request, () => listTopics(getActor(context))) };
}

const INTENTS = ["topic.create", "topic.rename", "topic.move", "topic.delete"];

export async function action({ request, context }: ActionFunctionArgs) {
  requireAdmin(context, request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (!INTENTS.includes(intent)) return data({ errors: { "": ["validation"] }, message: null, params: null, intent, topicId: null }, { status: 400 });
  const input = formToInput(form);
  const outcome = await runRequestCommand(request, context, intent, input);
  if (!outcome.ok) {
    const response = commandErrorResponse(outcome, intent);
    return data({ ...response.data, topicId: typeof input.topicId === "string" ? input.topicId : null }, { status: outcome.status });
  }
  return redirect("/admin/topics");
}

export default function AdminTopics() {
  const { topics } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const errorsFor = (topicId: string | null) => (actionData && actionData.topicId === topicId ? actionData.errors : undefined);
  return (
    <div className="stack-lg">
      <h1>{t("topics.title")}</h1>
      <p className="lead">{t("topics.intro")}</p>
      <table className="table topic-table" data-testid="topic-table">
        <thead>
          <tr>
            <th>{t("topics.order")}</th>
            <th>{t("topics.names")}</th>
            <th>{t("topics.uses")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {topics.map((topic, index) => (
            <tr key={topic.id}>
              <td className="topic-order">
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="topic.move" />
                  <input type="hidden" name="topicId" value={topic.id} />
                  <button type="submit" name="direction" value="up" className="link-action" disabled={index === 0} aria-label={t("topics.up")}>↑</button>
                  <button type="submit" name="direction" value="down" className="link-action" disabled={index === topics.length - 1} aria-label={t("topics.down")}>↓</button>
                </Form>
              </td>
              <td>
                <Form method="post" className="topic-rename">
                  <input type="hidden" name="intent" value="topic.rename" />
                  <input type="hidden" name="topicId" value={topic.id} />
                  <input name="nameEn" defaultValue={topic.nameEn} aria-label={t("topics.nameEn")} required maxLength={100} lang="en" />
                  <input name="nameZh" defaultValue={topic.nameZh} aria-label={t("topics.nameZh")} required maxLength={100} lang="zh-CN" />
                  <button type="submit" className="button button-small button-secondary">{t("topics.rename")}</button>
                  <span className="muted">{topic.slug}</span>
                </Form>
                <FieldError errors={errorsFor(topic.id)} name="" />
                <FieldError errors={errorsFor(topic.id)} name="topicId" />
                <FieldError errors={errorsFor(topic.id)} name="nameEn" />
                <FieldError errors={errorsFor(topic.id)} name="nameZh" />
              </td>
              <td>{t("topics.useCount", { count: topic.uses })}</td>
              <td>
                {topic.uses === 0 ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="topic.delete" />
                    <input type="hidden" name="topicId" value={topic.id} />
                    <button type="submit" className="link-action danger">{t("topics.delete")}</button>
                  </Form>
                ) : (
                  <span className="muted">{t("topics.inUse")}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Form method="post" className="form card">
        <h2>{t("topics.add")}</h2>
        <input type="hidden" name="intent" value="topic.create" />
        <label>
          {t("topics.slug")}
          <input name="slug" required maxLength={60} pattern="[a-z0-9]+(-[a-z0-9]+)*" />
        </label>
        <FieldError errors={errorsFor(null)} name="slug" />
        <label>
          {t("topics.nameEn")}
          <input name="nameEn" required maxLength={100} lang="en" />
        </label>
        <FieldError errors={errorsFor(null)} name="nameEn" />
        <label>
          {t("topics.nameZh")}
          <input name="nameZh" required maxLength={100} lang="zh-CN" />
        </label>
        <FieldError errors={errorsFor(null)} name="nameZh" />
        <FieldError errors={errorsFor(null)} name="" />
        <div className="form-actions">
          <button type="submit" className="button">{t("topics.create")}</button>
        </div>
      </Form>
    </div>
  );
}
