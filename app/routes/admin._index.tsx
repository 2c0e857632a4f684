import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/http/auth.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "admin.title");

/** The admin area's landing page (admins only; 404 for everyone else). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  return null;
}

const SECTIONS = [
  { to: "/admin/members", key: "members" },
  { to: "/admin/invitations", key: "invitations" },
  { to: "/admin/email", key: "email" },
  { to: "/admin/topics", key: "topics" },
  { to: "/moderation/log", key: "staffLog" },
] as const;

export default function AdminHome() {
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <h1>{t("admin.title")}</h1>
      <ul className="admin-sections" data-testid="admin-sections">
        {SECTIONS.map((section) => (
          <li key={section.to} className="card">
            <h2><Link to={section.to}>{t(`admin.sections.${section.key}.title`)}</Link></h2>
            <p className="muted">{t(`admin.sections.${section.key}.help`)}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
