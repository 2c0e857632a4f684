import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalTime } from "~/components/time";
import { getActor, requireAdmin } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { listMembersForAdmin, memberStatuses } from "~/models/accounts/members.server";
import { listRegions } from "~/models/dialogues.server";
import { memberRoles } from "~/realtime/commands";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "admin.members.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAdmin(context, request);
  const locale = await resolveLocale(request, context);
  const params = new URL(request.url).searchParams;
  const page = await loadOrThrow(request, () =>
    listMembersForAdmin(getActor(context), {
      q: params.get("q") ?? undefined,
      role: params.get("role") || undefined,
      region: params.get("region") ?? undefined,
      status: params.get("status") || undefined,
      cursor: params.get("cursor") ?? undefined,
    }),
  );
  const regions = await listRegions();
  return {
    members: page.members.map((m) => ({
      id: m.id,
      displayName: m.displayName,
      nameChinese: m.nameChinese,
      email: m.email,
      role: m.role,
      status: m.status,
      createdAt: m.createdAt.toISOString(),
      region: m.region ? pick(locale, m.region.nameEn, m.region.nameZh) : null,
    })),
    nextCursor: page.nextCursor,
    filters: { q: page.filters.q ?? "", role: page.filters.role ?? "", region: page.filters.region ?? "", status: page.filters.status ?? "" },
    regions: regions.map((r) => ({ slug: r.slug, name: pick(locale, r.nameEn, r.nameZh), country: r.country })),
    roles: [...memberRoles],
    statuses: [...memberStatuses],
  };
}

function pageHref(filters: Record<string, string>, cursor?: string): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  if (cursor) query.set("cursor", cursor);
  const text = query.toString();
  return text ? `/admin/members?${text}` : "/admin/members";
}

export default function AdminMembers() {
  const { members, nextCursor, filters, regions, roles, statuses } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const filtered = Object.values(filters).some(Boolean);
  return (
    <div className="stack-lg">
      <header>
        <p className="muted"><Link to="/admin">{t("admin.title")}</Link></p>
        <h1>{t("admin.members.title")}</h1>
      </header>
      {searchParams.get("deleted") ? <p className="notice success" role="status">{t("admin.members.deleted")}</p> : null}
      <Form method="get" className="form form-inline card" role="search" data-testid="admin-member-filters">
        <label>
          {t("admin.members.search")}
          <input type="search" name="q" defaultValue={filters.q} maxLength={100} placeholder={t("admin.members.searchPlaceholder")} />
        </label>
        <label>
          {t("admin.members.role")}
          <select name="role" defaultValue={filters.role}>
            <option value="">{t("admin.members.allRoles")}</option>
            {roles.map((role) => <option key={role} value={role}>{t(`roles.${role}`)}</option>)}
          </select>
        </label>
        <label>
          {t("fields.region")}
          <select name="region" defaultValue={filters.region}>
            <option value="">{t("directory.allRegions")}</option>
            {(["US", "CN"] as const).map((country) => (
              <optgroup key={country} label={t(`country.${country}`)}>
                {regions.filter((r) => r.country === country).map((r) => <option key={r.slug} value={r.slug}>{r.name}</option>)}
              </optgroup>
            ))}
          </select>
        </label>
        <label>
          {t("admin.members.status")}
          <select name="status" defaultValue={filters.status}>
            <option value="">{t("admin.members.allStatuses")}</option>
            {statuses.map((status) => <option key={status} value={status}>{t(`admin.members.statuses.${status}`)}</option>)}
          </select>
        </label>
        <div className="form-actions">
          <button type="submit" className="button">{t("directory.apply")}</button>
          {filtered ? <Link to="/admin/members">{t("directory.clear")}</Link> : null}
        </div>
      </Form>
      {members.length === 0 ? (
        <p className="muted" data-testid="admin-members-empty">{t("directory.noMatches")}</p>
      ) : (
        <table className="table admin-members-table" data-testid="admin-members">
          <thead>
            <tr>
              <th>{t("fields.displayName")}</th>
              <th>{t("fields.email")}</th>
              <th>{t("admin.members.role")}</th>
              <th>{t("fields.region")}</th>
              <th>{t("admin.members.status")}</th>
              <th>{t("admin.members.joined")}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id} data-testid="admin-member" data-member-id={m.id}>
                <td>
                  <Link to={`/admin/members/${m.id}`}>{m.displayName}</Link>
                  {m.nameChinese ? <span className="muted" lang="zh-CN"> {m.nameChinese}</span> : null}
                </td>
                <td className="admin-member-email">{m.email}</td>
                <td data-testid="admin-member-role">{t(`roles.${m.role}`)}</td>
                <td>{m.region ?? "—"}</td>
                <td><span className={`badge badge-status-${m.status}`}>{t(`admin.members.statuses.${m.status}`)}</span></td>
                <td><LocalTime iso={m.createdAt} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextCursor ? <Link className="pager" rel="next" to={pageHref(filters, nextCursor)}>{t("directory.nextPage")}</Link> : null}
    </div>
  );
}
