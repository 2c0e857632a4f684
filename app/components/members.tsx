/** Pieces the member directory, profiles and region pages share: a member card, a case-study list. */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { CaseStudyListEntry, MemberEntry } from "~/models/directory.server";
import { LocalTime } from "./time";

/** Names in the other scripts, with the right `lang` so each is rendered with a suitable font. */
export function OtherNames({ member }: { member: Pick<MemberEntry, "displayName" | "nameLatin" | "nameChinese"> }) {
  const names = [
    member.nameLatin && member.nameLatin !== member.displayName ? <span key="latin" lang="en">{member.nameLatin}</span> : null,
    member.nameChinese && member.nameChinese !== member.displayName ? <span key="han" lang="zh-CN">{member.nameChinese}</span> : null,
  ].filter(Boolean);
  if (names.length === 0) return null;
  return <span className="other-names">{names}</span>;
}

/** Title · organisation, either of which may be missing. */
export function Affiliation({ member }: { member: Pick<MemberEntry, "title" | "organisation"> }) {
  const parts = [member.title, member.organisation].filter(Boolean);
  return parts.length ? <span>{parts.join(" · ")}</span> : null;
}

export function MemberCard({ member }: { member: MemberEntry }) {
  const { t } = useTranslation();
  return (
    <li className="card member-card" data-testid="member-card">
      <div className="member-card-head">
        <Link to={`/members/${member.id}`} className="member-name">{member.displayName}</Link>
        {member.role !== "member" ? <span className="badge">{t(`roles.${member.role}`)}</span> : null}
      </div>
      <OtherNames member={member} />
      <p className="muted member-affiliation"><Affiliation member={member} /></p>
      <p className="member-meta small">
        {member.region ? (
          <span>
            <Link to={`/regions/${member.region.slug}`}>{member.region.name}</Link>
            <span className="chip-country"> · {t(`country.${member.region.country}`)}</span>
          </span>
        ) : null}
        {member.languages.length ? (
          <span className="muted">
            {t("directory.speaks")} {member.languages.map((l) => l.name).join(t("directory.listSeparator"))}
          </span>
        ) : null}
      </p>
      {member.bio ? <p className="member-bio small">{member.bio}</p> : null}
    </li>
  );
}

export function CaseStudyList({ items, testId }: { items: CaseStudyListEntry[]; testId?: string }) {
  const { t } = useTranslation();
  return (
    <ul className="list case-study-list" data-testid={testId}>
      {items.map((c) => (
        <li key={c.id}>
          <Link to={`/case-studies/${c.id}`} className="thread-link">{c.title || t("directory.untitled")}</Link>
          {c.draft ? <span className="badge badge-tbd">{t("directory.draft")}</span> : null}
          {c.isPublic ? <span className="badge badge-scheduled">{t("directory.public")}</span> : null}
          {c.languages.map((l) => (
            <span key={l} className="badge">{l === "zh" ? "中文" : "EN"}</span>
          ))}
          {c.summary ? <p className="excerpt">{c.summary}</p> : null}
          <p className="muted small">
            {c.regions.map((r) => r.name).join(t("directory.listSeparator"))}
            {c.regions.length ? " · " : ""}
            <LocalTime iso={c.date} />
          </p>
        </li>
      ))}
    </ul>
  );
}
