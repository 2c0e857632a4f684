/**
 * Case studies as the member directory and the region pages list them: a member's case studies
 * on their profile, a region's on its page. Read straight from the case-study tables with the
 * same visibility everywhere:
 * - deleted case studies: nobody;
 * - published and public: anyone, signed out too;
 * - published, members only: active members;
 * - drafts: their author only, and only where a list asks for the author's own drafts.
 */
import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import type { Lang } from "~/i18n/config";
import { assertCan, isActive, type Actor } from "~/policy.server";
import { pick } from "~/utils/content";
import { truncate } from "~/utils/text";

/** The rows of `case_studies` the actor may see in a list. */
export function visibleCaseStudies(actor: Actor | null, options: { withOwnDrafts?: boolean } = {}): Prisma.CaseStudyWhereInput {
  const active = isActive(actor);
  const visible: Prisma.CaseStudyWhereInput[] = [active ? { status: "published" } : { status: "published", isPublic: true }];
  if (options.withOwnDrafts && active) visible.push({ status: "draft", authorId: actor.id });
  return { deletedAt: null, OR: visible };
}

const caseStudyListSelect = {
  id: true,
  status: true,
  isPublic: true,
  publishedAt: true,
  updatedAt: true,
  versions: { select: { language: true, title: true, summary: true }, orderBy: { language: "asc" } },
  regions: { select: { region: { select: { slug: true, nameEn: true, nameZh: true } } } },
} satisfies Prisma.CaseStudySelect;

type CaseStudyListRow = Prisma.CaseStudyGetPayload<{ select: typeof caseStudyListSelect }>;

const LIST_LIMIT = 50;

/**
 * A member's case studies for their profile: published ones, and their drafts when the reader is
 * the author. Newest first. Members only, like profiles.
 * @throws AppError unauthenticated | suspended
 */
export async function listMemberCaseStudies(actor: Actor | null, authorId: string) {
  assertCan(actor, "member.read");
  return prisma.caseStudy.findMany({
    where: { authorId, ...visibleCaseStudies(actor, { withOwnDrafts: actor.id === authorId }) },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: LIST_LIMIT,
    select: caseStudyListSelect,
  });
}

/** A region's published case studies the reader may see (public ones when signed out), newest first. */
export async function listRegionCaseStudies(actor: Actor | null, regionId: string) {
  return prisma.caseStudy.findMany({
    where: { regions: { some: { regionId } }, ...visibleCaseStudies(actor) },
    orderBy: [{ publishedAt: "desc" }, { id: "desc" }],
    take: LIST_LIMIT,
    select: caseStudyListSelect,
  });
}

/** How many published, members-only case studies of a region a signed-out reader is not shown. */
export async function countMembersOnlyRegionCaseStudies(regionId: string): Promise<number> {
  return prisma.caseStudy.count({ where: { regions: { some: { regionId } }, deletedAt: null, status: "published", isPublic: false } });
}

/** A list entry in the reader's language (the other version's title when theirs is missing). */
export function presentCaseStudy(row: CaseStudyListRow, locale: Lang) {
  const version = (language: Lang) => row.versions.find((v) => v.language === language);
  const en = version("en");
  const zh = version("zh");
  const summary = pick(locale, en?.summary, zh?.summary);
  return {
    id: row.id,
    title: pick(locale, en?.title, zh?.title),
    summary: truncate(summary, 280),
    draft: row.status === "draft",
    isPublic: row.isPublic,
    languages: row.versions.map((v) => v.language),
    date: (row.publishedAt ?? row.updatedAt).toISOString(),
    regions: row.regions.map(({ region }) => ({ slug: region.slug, name: pick(locale, region.nameEn, region.nameZh) })),
  };
}

export type CaseStudyListEntry = ReturnType<typeof presentCaseStudy>;

/** A language's name in the reader's language ("Chinese" / "中文"), or its code when unknown. */
export function languageName(code: string, locale: Lang): string {
  try {
    return new Intl.DisplayNames([locale === "zh" ? "zh-CN" : "en"], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

interface MemberRow {
  id: string;
  displayName: string;
  nameLatin: string;
  nameChinese: string;
  organisation: string;
  title: string;
  languages: string[];
  bio: string;
  role: string;
  region: { slug: string; nameEn: string; nameZh: string; country: string } | null;
}

/** A member as the directory, a profile and a region page show them, in the reader's language. */
export function presentMember(m: MemberRow, locale: Lang, options: { fullBio?: boolean } = {}) {
  // The other names are shown only when they add something to the display name.
  const otherNames = [m.nameLatin, m.nameChinese].filter((n) => n && n !== m.displayName);
  return {
    id: m.id,
    displayName: m.displayName,
    otherNames,
    nameLatin: m.nameLatin,
    nameChinese: m.nameChinese,
    organisation: m.organisation,
    title: m.title,
    role: m.role,
    languages: m.languages.map((code) => ({ code, name: languageName(code, locale) })),
    bio: options.fullBio ? m.bio : truncate(m.bio, 200),
    region: m.region ? { slug: m.region.slug, name: pick(locale, m.region.nameEn, m.region.nameZh), country: m.region.country } : null,
  };
}

export type MemberEntry = ReturnType<typeof presentMember>;
