import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { NoteLanguage, TranslationLink } from "~/components/note-export";
import { getActor, requireUser } from "~/http/auth.server";
import { listNotes } from "~/models/notes.server";
import { loadOrThrow } from "~/utils/http.server";
import { useMemberName } from "~/components/member-name";

export const meta: MetaFunction = () => [{ title: "Policy notes · Coal Regions Network" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  return loadOrThrow(request, () => listNotes(getActor(context)));
}

type Item = ReturnType<typeof useLoaderData<typeof loader>>["mine"][number];

function NoteList({ items, empty, testId }: { items: Item[]; empty: string; testId: string }) {
  const { t } = useTranslation();
  const name = useMemberName();
  if (items.length === 0) return <p className="muted" data-testid={testId}>{empty}</p>;
  return (
    <ul className="stack" data-testid={testId}>
      {items.map((n) => (
        <li key={n.id} className="card">
          <Link to={`/notes/${n.id}`}>{n.title}</Link> <NoteLanguage language={n.language} />{" "}
          <span className="muted">
            {t(`notes.roles.${n.role}`)} · {name(n.owner.displayName)} · {t("notes.memberCount", { count: n.members })}
          </span>
          {n.translation ? <> · <TranslationLink translation={n.translation} /></> : null}
        </li>
      ))}
    </ul>
  );
}

export default function Notes() {
  const { mine, shared } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <h1>{t("notes.title")}</h1>
      <p className="lead">{t("notes.intro")}</p>
      <p><Link to="/notes/new" className="button">{t("notes.new")}</Link></p>
      <h2>{t("notes.mine")}</h2>
      <NoteList items={mine} empty={t("notes.mineEmpty")} testId="my-notes" />
      <h2>{t("notes.shared")}</h2>
      <NoteList items={shared} empty={t("notes.sharedEmpty")} testId="shared-notes" />
    </div>
  );
}
