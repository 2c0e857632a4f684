/**
 * `/surveys/<id>`: a survey to answer, in the reader's language: save a draft and come back,
 * submit; localised messages beside each question that needs attention. Members outside the
 * audience get 404. Staff preview it in either language (`?preview=en|zh`).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { SurveyAnswerView } from "~/components/surveys";
import { surveyAnswerAction, surveyAnswerLoader } from "~/http/survey-answer.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.survey.title} · Coal Regions Network` : "Not found" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return surveyAnswerLoader(request, context, { id: params.id ?? "" });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = params.id ?? "";
  return surveyAnswerAction(request, context, { id, surveyId: id }, `/surveys/${id}`);
}

export default function SurveyPage() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return <SurveyAnswerView d={d} actionData={actionData} resultsHref={`/surveys/${d.survey.id}/results`} />;
}
