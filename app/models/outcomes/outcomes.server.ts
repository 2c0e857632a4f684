/**
 * The outcomes register: the policy ideas, joint projects, commitments and publications that
 * came out of the dialogues, where each came from and how far each has got (docs/decisions/
 * 034-outcomes-register.md).
 *
 * - Members propose an outcome (in one language or both, optionally "from" a thread, note, case
 *   study or dialogue they can read); it awaits review, seen by its proposer and staff only.
 * - Staff review it into the register (both languages' titles required) or decline it; edit it
 *   (optimistic concurrency on `revision`); record each status with the day it happened and a
 *   note (the timeline); link origins and evidence; delete it.
 * - Public outcomes are listed to everyone, the others to members; an origin a reader may not
 *   open (a members-only thread, a note they are not in) is named only by its kind.
 */
import type { OutcomeOriginKind, OutcomeStatus, OutcomeType, Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import type { Lang } from "~/i18n/config";
import { assertCan, can, isActive, isStaff, type Actor, type OutcomeResource } from "~/policy.server";
import { outcomeStatuses, outcomeTypes, type ParsedCommandInput } from "~/realtime/commands";
import { pick } from "~/utils/content";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { z } from "~/utils/validation";
import { caseStudyResource } from "../case-studies.server";
import { noteResource } from "../notes.server";
import { canReadThread } from "../threads.server";

export const OUTCOMES_PAGE_SIZE = 20;

/** The register's filters, from a URL: anything unknown is dropped rather than refused. */
export const outcomeListInput = z.object({
  status: z.enum(outcomeStatuses).optional().catch(undefined),
  type: z.enum(outcomeTypes).optional().catch(undefined),
  region: z.string().trim().max(60).optional().catch(undefined).transform((v) => v || undefined),
  page: z.coerce.number().int().min(1).max(1000).optional().catch(undefined),
});

type OutcomeRow = Prisma.OutcomeGetPayload<{ include: typeof outcomeInclude }>;

const outcomeInclude = {
  regions: { include: { region: { select: { id: true, slug: true, nameEn: true, nameZh: true } } } },
} as const;

export function outcomeResource(row: { id: string; reviewedAt: Date | null; isPublic: boolean; proposedById: string | null; deletedAt: Date | null }): OutcomeResource {
  return { id: row.id, reviewed: row.reviewedAt !== null, isPublic: row.isPublic, proposedById: row.proposedById, deleted: row.deletedAt !== null };
}

/** What the register shows of an outcome in a list, in the reader's language. */
export interface OutcomeCard {
  id: string;
  title: string;
  otherTitle: string;
  summary: string;
  type: OutcomeType;
  status: OutcomeStatus;
  isPublic: boolean;
  regions: { slug: string; name: string }[];
  updatedAt: string;
}

function presentCard(row: OutcomeRow, locale: Lang): OutcomeCard {
  return {
    id: row.id,
    title: pick(locale, row.titleEn, row.titleZh),
    otherTitle: locale === "zh" ? row.titleEn : row.titleZh,
    summary: pick(locale, row.summaryEn, row.summaryZh),
    type: row.type,
    status: row.status,
    isPublic: row.isPublic,
    regions: row.regions.map((r) => ({ slug: r.region.slug, name: pick(locale, r.region.nameEn, r.region.nameZh) })),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The register's rows a reader may see: reviewed, not deleted; public only when signed out. */
function registerWhere(actor: Actor | null): Prisma.OutcomeWhereInput {
  return { deletedAt: null, reviewedAt: { not: null }, ...(isActive(actor) ? {} : { isPublic: true }) };
}

/**
 * One page of the register, newest change first, filtered by status, type and region; with how
 * many outcomes each status holds under the other filters (for the filter's counts).
 */
export async function listOutcomes(actor: Actor | null, input: z.input<typeof outcomeListInput>, locale: Lang) {
  const filters = outcomeListInput.parse(input);
  const region = filters.region ? await prisma.region.findUnique({ where: { slug: filters.region }, select: { id: true } }) : null;
  const base: Prisma.OutcomeWhereInput = {
    ...registerWhere(actor),
    ...(filters.type ? { type: filters.type } : {}),
    ...(filters.region ? { regions: { some: { regionId: region?.id ?? "none" } } } : {}),
  };
  const where = { ...base, ...(filters.status ? { status: filters.status } : {}) };
  const page = filters.page ?? 1;
  const [rows, grouped] = await Promise.all([
    prisma.outcome.findMany({
      where,
      include: outcomeInclude,
      orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * OUTCOMES_PAGE_SIZE,
      take: OUTCOMES_PAGE_SIZE + 1,
    }),
    prisma.outcome.groupBy({ by: ["status"], where: base, _count: { _all: true } }),
  ]);
  const byStatus = Object.fromEntries(outcomeStatuses.map((s) => [s, grouped.find((g) => g.status === s)?._count._all ?? 0])) as Record<OutcomeStatus, number>;
  return {
    items: rows.slice(0, OUTCOMES_PAGE_SIZE).map((row) => presentCard(row, locale)),
    hasMore: rows.length > OUTCOMES_PAGE_SIZE,
    page,
    filters,
    byStatus,
  };
}

/**
 * How many outcomes of the register a reader sees, in all and by status (for the home page, or
 * one region's page).
 */
export async function outcomeCounts(actor: Actor | null, options: { regionId?: string } = {}) {
  const grouped = await prisma.outcome.groupBy({
    by: ["status"],
    where: { ...registerWhere(actor), ...(options.regionId ? { regions: { some: { regionId: options.regionId } } } : {}) },
    _count: { _all: true },
  });
  const byStatus = Object.fromEntries(outcomeStatuses.map((s) => [s, grouped.find((g) => g.status === s)?._count._all ?? 0])) as Record<OutcomeStatus, number>;
  return { total: grouped.reduce((sum, g) => sum + g._count._all, 0), byStatus };
}

/** Proposals awaiting review: all of them for staff, a member's own for a member; none signed out. */
export async function listProposals(actor: Actor | null, locale: Lang): Promise<OutcomeCard[]> {
  if (!isActive(actor)) return [];
  const rows = await prisma.outcome.findMany({
    where: { deletedAt: null, reviewedAt: null, ...(isStaff(actor) ? {} : { proposedById: actor.id }) },
    include: outcomeInclude,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 100,
  });
  return rows.map((row) => presentCard(row, locale));
}

/** An origin as the reader may see it: its title and page only when they may open it. */
export interface OriginView {
  kind: OutcomeOriginKind;
  refId: string;
  title: string | null;
  href: string | null;
}

async function presentOrigins(actor: Actor | null, origins: { kind: OutcomeOriginKind; refId: string }[], locale: Lang): Promise<OriginView[]> {
  const views: OriginView[] = [];
  for (const origin of origins) {
    const hidden: OriginView = { kind: origin.kind, refId: origin.refId, title: null, href: null };
    switch (origin.kind) {
      case "dialogue": {
        const d = await prisma.dialogue.findUnique({ where: { id: origin.refId }, select: { slug: true, titleEn: true, titleZh: true } });
        views.push(d ? { ...hidden, title: pick(locale, d.titleEn, d.titleZh), href: `/dialogues/${d.slug}` } : hidden);
        break;
      }
      case "thread": {
        const t = (await canReadThread(actor, origin.refId)) ? await prisma.thread.findUnique({ where: { id: origin.refId }, select: { titleEn: true, titleZh: true } }) : null;
        views.push(t ? { ...hidden, title: pick(locale, t.titleEn, t.titleZh ?? ""), href: `/threads/${origin.refId}` } : hidden);
        break;
      }
      case "note": {
        const readable = can(actor, "note.read", await noteResource(actor, origin.refId));
        const n = readable ? await prisma.note.findUnique({ where: { id: origin.refId }, select: { title: true } }) : null;
        views.push(n ? { ...hidden, title: n.title, href: `/notes/${origin.refId}` } : hidden);
        break;
      }
      case "case_study": {
        const c = await prisma.caseStudy.findUnique({ where: { id: origin.refId }, include: { versions: { select: { language: true, title: true } } } });
        if (c && can(actor, "caseStudy.read", caseStudyResource(c))) {
          const version = c.versions.find((v) => v.language === locale) ?? c.versions[0];
          views.push({ ...hidden, title: version?.title ?? null, href: `/case-studies/${c.id}` });
        } else {
          views.push(hidden);
        }
        break;
      }
    }
  }
  return views;
}

/** An outcome in full, as the reader may see it. @throws AppError not_found */
export async function getOutcome(actor: Actor | null, outcomeId: string, locale: Lang) {
  const row = await prisma.outcome.findUnique({
    where: { id: outcomeId },
    include: {
      ...outcomeInclude,
      origins: true,
      evidence: { orderBy: { createdAt: "asc" } },
      events: { orderBy: [{ occurredAt: "asc" }, { createdAt: "asc" }], include: { actor: { select: { id: true, displayName: true } } } },
      proposedBy: { select: { id: true, displayName: true } },
    },
  });
  if (!row || !can(actor, "outcome.read", outcomeResource(row))) throw new AppError("not_found");
  const staff = can(actor, "outcome.curate");
  return {
    ...presentCard(row, locale),
    titleEn: row.titleEn,
    titleZh: row.titleZh,
    summaryEn: row.summaryEn,
    summaryZh: row.summaryZh,
    otherSummary: locale === "zh" ? row.summaryEn : row.summaryZh,
    reviewed: row.reviewedAt !== null,
    revision: row.revision,
    regionIds: row.regions.map((r) => r.region.id),
    createdAt: row.createdAt.toISOString(),
    // Who proposed it is the register's own record: shown to members, not to the public.
    proposedBy: isActive(actor) && row.proposedBy ? row.proposedBy : null,
    origins: await presentOrigins(actor, row.origins, locale),
    evidence: row.evidence.map((e) => ({ id: e.id, url: e.url, label: e.label })),
    timeline: row.events.map((e) => ({
      id: e.id,
      status: e.status,
      occurredAt: e.occurredAt.toISOString(),
      note: e.note,
      actor: staff ? e.actor : null,
    })),
    canCurate: staff,
  };
}

/**
 * Checks that the actor may name `origin` as where an outcome came from (they can open it).
 * @throws AppError not_found
 */
async function assertOriginReadable(actor: Actor, origin: { kind: OutcomeOriginKind; refId: string }): Promise<void> {
  const [view] = await presentOrigins(actor, [origin], "en");
  if (!view?.href) throw new AppError("not_found", "No such origin", "origin");
}

async function regionIdsExist(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await prisma.region.count({ where: { id: { in: ids } } });
  if (found !== new Set(ids).size) throw new AppError("validation", "Unknown region", "regionIds");
}

function requireATitle(input: { titleEn: string; titleZh: string }): void {
  if (!input.titleEn && !input.titleZh) throw new AppError("title_required", "A title in either language", "titleEn");
}

/**
 * A member proposes an outcome; it awaits staff review.
 * @throws AppError unauthenticated | suspended | title_required | validation | not_found (origin)
 */
export async function proposeOutcome(actor: Actor | null, input: ParsedCommandInput<"outcome.propose">) {
  assertCan(actor, "outcome.propose");
  requireATitle(input);
  await regionIdsExist(input.regionIds);
  if (input.origin) await assertOriginReadable(actor, input.origin);
  const id = newId();
  await prisma.outcome.create({
    data: {
      id,
      type: input.type,
      titleEn: input.titleEn,
      titleZh: input.titleZh,
      summaryEn: input.summaryEn,
      summaryZh: input.summaryZh,
      isPublic: input.isPublic,
      proposedById: actor.id,
      regions: { create: [...new Set(input.regionIds)].map((regionId) => ({ regionId })) },
      origins: input.origin ? { create: [input.origin] } : undefined,
    },
  });
  return { outcomeId: id };
}

async function loadForCuration(actor: Actor | null, outcomeId: string) {
  assertCan(actor, "outcome.curate");
  const row = await prisma.outcome.findUnique({ where: { id: outcomeId } });
  if (!row || row.deletedAt) throw new AppError("not_found");
  return row;
}

/**
 * Staff edit an outcome from the revision they saw.
 * @throws AppError forbidden | not_found | title_required | both_languages_required | edit_conflict | validation
 */
export async function updateOutcome(actor: Actor | null, input: ParsedCommandInput<"outcome.update">) {
  const row = await loadForCuration(actor, input.outcomeId);
  requireATitle(input);
  // In the register an outcome reads in both languages.
  if (row.reviewedAt && (!input.titleEn || !input.titleZh)) throw new AppError("both_languages_required", "Both titles", input.titleEn ? "titleZh" : "titleEn");
  await regionIdsExist(input.regionIds);
  if (input.baseRevision !== undefined && input.baseRevision !== row.revision) throw new AppError("edit_conflict", "Changed since", "");
  await prisma.$transaction(async (tx) => {
    const saved = await tx.outcome.updateMany({
      where: { id: row.id, revision: row.revision },
      data: {
        type: input.type,
        titleEn: input.titleEn,
        titleZh: input.titleZh,
        summaryEn: input.summaryEn,
        summaryZh: input.summaryZh,
        isPublic: input.isPublic,
        revision: { increment: 1 },
        updatedAt: new Date(),
      },
    });
    if (saved.count !== 1) throw new AppError("edit_conflict", "Changed since", "");
    await tx.outcomeRegion.deleteMany({ where: { outcomeId: row.id } });
    await tx.outcomeRegion.createMany({ data: [...new Set(input.regionIds)].map((regionId) => ({ outcomeId: row.id, regionId })) });
  });
  return { outcomeId: row.id };
}

/**
 * Staff take a proposal into the register (both titles needed) or decline it (it is removed).
 * @throws AppError forbidden | not_found | both_languages_required | outcome_reviewed
 */
export async function reviewOutcome(actor: Actor | null, input: ParsedCommandInput<"outcome.review">) {
  const row = await loadForCuration(actor, input.outcomeId);
  if (row.reviewedAt) throw new AppError("outcome_reviewed");
  if (input.decision === "decline") {
    await prisma.outcome.update({ where: { id: row.id }, data: { deletedAt: new Date() } });
    return { outcomeId: row.id, accepted: false };
  }
  if (!row.titleEn || !row.titleZh) throw new AppError("both_languages_required", "Both titles", row.titleEn ? "titleZh" : "titleEn");
  // The timeline is what staff record, each step with the day it happened (an outcome of a 2021
  // dialogue entered today starts in 2021), so accepting adds no step of its own.
  const now = new Date();
  await prisma.outcome.update({ where: { id: row.id }, data: { reviewedAt: now, reviewedById: actor!.id, updatedAt: now, revision: { increment: 1 } } });
  return { outcomeId: row.id, accepted: true };
}

/**
 * Staff record a step of the timeline: the outcome's status from `day` (the start of the day
 * they picked, in their zone), with a note. Steps may be recorded late, in any order: the
 * outcome's status is the step with the latest day (of two on one day, the later recorded).
 * @throws AppError forbidden | not_found | validation (a day in the future)
 */
export async function setOutcomeStatus(actor: Actor | null, input: ParsedCommandInput<"outcome.setStatus">) {
  const row = await loadForCuration(actor, input.outcomeId);
  if (input.day.getTime() > Date.now() + 24 * 60 * 60 * 1000) throw new AppError("validation", "A day that has come", "day");
  await prisma.$transaction(async (tx) => {
    await tx.outcomeEvent.create({ data: { id: newId(), outcomeId: row.id, status: input.status, occurredAt: input.day, note: input.note, actorId: actor!.id } });
    const latest = await tx.outcomeEvent.findFirstOrThrow({ where: { outcomeId: row.id }, orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }] });
    await tx.outcome.update({ where: { id: row.id }, data: { status: latest.status, updatedAt: new Date(), revision: { increment: 1 } } });
  });
  return { outcomeId: row.id };
}

/** @throws AppError forbidden | not_found */
export async function addOutcomeOrigin(actor: Actor | null, input: ParsedCommandInput<"outcome.addOrigin">) {
  const row = await loadForCuration(actor, input.outcomeId);
  await assertOriginReadable(actor!, input);
  await prisma.outcomeOrigin.createMany({ data: [{ outcomeId: row.id, kind: input.kind, refId: input.refId }], skipDuplicates: true });
  return { outcomeId: row.id };
}

/** @throws AppError forbidden | not_found */
export async function removeOutcomeOrigin(actor: Actor | null, input: ParsedCommandInput<"outcome.removeOrigin">) {
  const row = await loadForCuration(actor, input.outcomeId);
  const { count } = await prisma.outcomeOrigin.deleteMany({ where: { outcomeId: row.id, kind: input.kind, refId: input.refId } });
  if (count === 0) throw new AppError("not_found");
  return { outcomeId: row.id };
}

/** @throws AppError forbidden | not_found */
export async function addOutcomeEvidence(actor: Actor | null, input: ParsedCommandInput<"outcome.addEvidence">) {
  const row = await loadForCuration(actor, input.outcomeId);
  const id = newId();
  await prisma.outcomeEvidence.create({ data: { id, outcomeId: row.id, url: input.url, label: input.label } });
  return { outcomeId: row.id, evidenceId: id };
}

/** @throws AppError forbidden | not_found */
export async function removeOutcomeEvidence(actor: Actor | null, input: ParsedCommandInput<"outcome.removeEvidence">) {
  assertCan(actor, "outcome.curate");
  const evidence = await prisma.outcomeEvidence.findUnique({ where: { id: input.evidenceId } });
  if (!evidence) throw new AppError("not_found");
  await prisma.outcomeEvidence.delete({ where: { id: evidence.id } });
  return { outcomeId: evidence.outcomeId };
}

/** @throws AppError forbidden | not_found */
export async function deleteOutcome(actor: Actor | null, input: ParsedCommandInput<"outcome.delete">) {
  const row = await loadForCuration(actor, input.outcomeId);
  await prisma.outcome.update({ where: { id: row.id }, data: { deletedAt: new Date() } });
  return { outcomeId: row.id, deleted: true };
}

/**
 * Where a "Propose as outcome" link comes from (`?from=thread:<id>`), with its title, when the
 * reader can open it; else null.
 */
export async function originFromQuery(actor: Actor | null, from: string | null, locale: Lang): Promise<OriginView | null> {
  const match = /^(dialogue|thread|note|case_study):([a-z0-9]{1,40})$/.exec(from ?? "");
  if (!match) return null;
  const [view] = await presentOrigins(actor, [{ kind: match[1] as OutcomeOriginKind, refId: match[2]! }], locale);
  return view?.href ? view : null;
}

/**
 * A page's address (or path) on this site as an outcome origin: `/dialogues/<slug>`,
 * `/threads/<id>`, `/notes/<id>` or `/case-studies/<id>`; null for anything else.
 */
export async function originFromAddress(address: string): Promise<{ kind: OutcomeOriginKind; refId: string } | null> {
  let path: string;
  try {
    path = new URL(address.trim(), "http://site.invalid").pathname;
  } catch {
    return null;
  }
  const match = /^\/(dialogues|threads|notes|case-studies)\/([a-z0-9-]{1,80})\/?$/.exec(path);
  if (!match) return null;
  const [, section, key] = match as unknown as [string, string, string];
  if (section === "dialogues") {
    const dialogue = await prisma.dialogue.findUnique({ where: { slug: key }, select: { id: true } });
    return dialogue ? { kind: "dialogue", refId: dialogue.id } : null;
  }
  const kind = ({ threads: "thread", notes: "note", "case-studies": "case_study" } as const)[section as "threads" | "notes" | "case-studies"];
  return { kind, refId: key };
}
