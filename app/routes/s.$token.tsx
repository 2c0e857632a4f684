/**
 * `/s/<token>`: a survey's public link, answered without an account (one response per browser,
 * kept by a cookie; submissions rate-limited per address). An unknown link is 404.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { SurveyAnswerView } from "~/components/surveys";
import { surveyAnswerAction, surveyAnswerLoader } from "~/http/survey-answer.server";
import { surveyIdForToken } from "~/models/surveys/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.survey.title} · Coal Regions Network` : "Not found" },
  // A shared link's page is not for search engines.
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return surveyAnswerLoader(request, context, { token: params.token ?? "" });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const surveyId = await surveyIdForToken(token);
  return surveyAnswerAction(request, context, { token, surveyId }, `/s/${token}`);
}

export default function PublicSurveyPage() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return <SurveyAnswerView d={d} actionData={actionData} resultsHref={null} />;
}
