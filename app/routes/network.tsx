import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ThreadList } from "~/components/thread-list";
import { WatchLevelForm } from "~/components/watch-level";
import { getActor, requireUser } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { getCategoryWatch, listThreads } from "~/models/threads.server";
import { useCategoryRoom } from "~/realtime/hooks";
import { commandErrorResponse, formToInput, runRequestCommand } from "~/http/commands.server";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "network.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const cursor = new URL(request.url).searchParams.get("cursor");
  const { threads, nextCursor } = await loadOrThrow(request, () => listThreads(getActor(context), { dialogueId: null, cursor }));
  return {
    threads: threads.map((t) => ({ ...t, title: pick(locale, t.titleEn, t.titleZh) })),
    nextCursor,
    level: await getCategoryWatch(user.id, "network"),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireUser(context, request);
  const form = await request.formData();
  const outcome = await runRequestCommand(request, context, "category.watch", { ...formToInput(form), categoryKey: "network" });
  if (!outcome.ok) return commandErrorResponse(outcome, "category.watch");
  return redirect("/network");
}

export default function Network() {
  const { threads, nextCursor, level } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  useCategoryRoom("network");
  return (
    <div className="stack-lg">
      <header className="page-header">
        <div>
          <h1>{t("network.title")}</h1>
          <p className="lead">{t("network.lead")}</p>
        </div>
        <div className="page-actions">
          <Link to="/threads/new" className="button" data-testid="new-thread">{t("threads.new")}</Link>
          <WatchLevelForm level={level} intent="category.watch" categoryKey="network" />
        </div>
      </header>
      <ThreadList threads={threads} nextCursor={nextCursor} />
    </div>
  );
}
