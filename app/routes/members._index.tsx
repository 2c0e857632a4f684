import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MemberCard } from "~/components/members";
import { getActor, requireUser } from "~/http/auth.server";
import { resolveLocale } from "~/i18n/i18n.server";
import { listRegions } from "~/models/dialogues.server";
import { presentMember } from "~/models/directory.server";
import { listMembers } from "~/models/users.server";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "titles.members");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const params = new URL(request.url).searchParams;
  const { members, nextCursor, filters } = await loadOrThrow(request, () =>
    listMembers(getActor(context), {
      region: params.get("region") ?? undefined,
      country: (params.get("country") ?? undefined) as "US" | "CN" | undefined,
      q: params.get("q") ?? undefined,
      cursor: params.get("cursor") ?? undefined,
    }),
  );
  const regions = await listRegions();
  return {
    members: members.map((m) => presentMember(m, locale)),
    nextCursor,
    firstPage: Boolean(params.get("cursor")),
    filters: { region: filters.region ?? "", country: filters.country ?? "", q: filters.q ?? "" },
    regions: regions.map((r) => ({ slug: r.slug, name: pick(locale, r.nameEn, r.nameZh), country: r.country })),
  };
}

/** The directory's query string for the current filters and a cursor. */
function pageHref(filters: { region: string; country: string; q: string }, cursor?: string): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  if (cursor) query.set("cursor", cursor);
  const text = query.toString();
  return text ? `/members?${text}` : "/members";
}

export default function MemberDirectory() {
  const { members, nextCursor, firstPage, filters, regions } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const filtered = Boolean(filters.region || filters.country || filters.q);
  return (
    <div className="stack-lg">
      <header>
        <h1>{t("directory.title")}</h1>
        <p className="lead muted">{t("directory.lead")}</p>
      </header>
      <Form method="get" className="form form-inline directory-filters card" role="search" data-testid="directory-filters">
        <label>
          {t("directory.searchLabel")}
          <input type="search" name="q" defaultValue={filters.q} maxLength={100} placeholder={t("directory.searchPlaceholder")} />
        </label>
        <label>
          {t("fields.region")}
          <select name="region" defaultValue={filters.region}>
            <option value="">{t("directory.allRegions")}</option>
            {(["US", "CN"] as const).map((country) => (
              <optgroup key={country} label={t(`country.${country}`)}>
                {regions.filter((r) => r.country === country).map((r) => (
                  <option key={r.slug} value={r.slug}>{r.name}</option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label>
          {t("directory.country")}
          <select name="country" defaultValue={filters.country}>
            <option value="">{t("directory.allCountries")}</option>
            <option value="US">{t("country.US")}</option>
            <option value="CN">{t("country.CN")}</option>
          </select>
        </label>
        <div className="form-actions">
          <button type="submit" className="button" disabled={navigation.state === "loading" && navigation.location?.pathname === "/members"}>
            {t("directory.apply")}
          </button>
          {filtered ? <Link to="/members">{t("directory.clear")}</Link> : null}
        </div>
      </Form>
      <section aria-live="polite">
        {members.length === 0 ? (
          <p className="muted" data-testid="directory-empty">{filtered ? t("directory.noMatches") : t("directory.empty")}</p>
        ) : (
          <ul className="member-grid" data-testid="directory">
            {members.map((m) => (
              <MemberCard key={m.id} member={m} />
            ))}
          </ul>
        )}
        <nav className="form-actions directory-pager" aria-label={t("directory.pages")}>
          {firstPage ? <Link to={pageHref(filters)} className="button button-secondary button-small">{t("directory.firstPage")}</Link> : null}
          {nextCursor ? (
            <Link to={pageHref(filters, nextCursor)} className="button button-secondary button-small" rel="next" data-testid="directory-next">
              {t("directory.nextPage")}
            </Link>
          ) : null}
        </nav>
      </section>
    </div>
  );
}
