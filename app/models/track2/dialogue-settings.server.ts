/**
 * A dialogue's Track 2 settings (admins): its attribution level (inherited by its threads), its
 * capacity, its agenda (sessions with times, bilingual titles and speakers) and, once held, its
 * summary — bilingual text or a linked policy note — shown under the dialogue's level.
 */
import type { AttributionLevel } from "@prisma/client";
import { prisma } from "~/db.server";
import { assertCan, isStaff, type Actor } from "~/policy.server";
import type { ParsedCommandInput } from "~/realtime/commands";
import { publishAll, type DomainEvent } from "~/realtime/publish.server";
import { categoryKeyOf } from "~/realtime/events";
import { AppError } from "~/utils/errors";
import { newId } from "~/utils/ids.server";
import { logStaffAction } from "../moderation.server";
import { publishUnreadCounts } from "../notifications.server";
import { reindexThreadWithReplies } from "../search.server";
import { threadState } from "../threads.server";
import { isPseudonymous } from "./attribution.server";
import { fillFreedPlaces } from "./participation.server";

/**
 * Sets the dialogue's attribution level and capacity. A level change applies at once to every
 * thread that follows the dialogue (open pages reload; search drops or re-adds their words); a
 * larger capacity promotes the waiting list.
 * @throws AppError forbidden | not_found | capacity_below_participants (fewer places than approved participants)
 */
export async function configureDialogue(actor: Actor | null, input: ParsedCommandInput<"dialogue.configure">) {
  assertCan(actor, "dialogue.manage");
  const dialogue = await prisma.dialogue.findUnique({ where: { id: input.dialogueId } });
  if (!dialogue) throw new AppError("not_found");
  const capacity = input.capacity ?? null;
  // Places already given are not taken back by lowering the capacity: say so instead.
  const approved = await prisma.participationRequest.count({ where: { dialogueId: dialogue.id, status: "approved" } });
  if (capacity !== null && capacity < approved) throw new AppError("capacity_below_participants", "Fewer places than participants", "capacity", { count: approved });
  const events: DomainEvent[] = [];
  const told = await prisma.$transaction(async (tx) => {
    await tx.dialogue.update({ where: { id: dialogue.id }, data: { attributionLevel: input.attributionLevel, capacity, allowMachineTranslation: input.allowMachineTranslation } });
    if (input.attributionLevel !== dialogue.attributionLevel) {
      const threads = await tx.thread.findMany({ where: { dialogueId: dialogue.id, attributionLevel: null, deletedAt: null } });
      for (const thread of threads) {
        await reindexThreadWithReplies(tx, thread.id);
        events.push({ type: "thread.updated", state: threadState(thread), categoryKeys: [categoryKeyOf(thread.dialogueId)] });
      }
    }
    await logStaffAction(tx, { actorId: actor.id, action: "dialogue.configure", targetType: "dialogue", targetId: dialogue.id, data: { attributionLevel: input.attributionLevel, capacity, allowMachineTranslation: input.allowMachineTranslation } });
    return fillFreedPlaces(tx, dialogue.id, actor.id);
  });
  publishAll(events);
  await publishUnreadCounts(told);
  return { dialogueId: dialogue.id, attributionLevel: input.attributionLevel, capacity, allowMachineTranslation: input.allowMachineTranslation };
}

/** One agenda line as staff write it: `time | English title | 中文标题 | speaker's email`. */
export interface AgendaLine {
  startsAt: string;
  titleEn: string;
  titleZh: string;
  speakerEmail: string;
}

/**
 * Replaces the agenda. A speaker is named by their account's email (or left empty).
 * @throws AppError forbidden | not_found | member_unknown (field `items.<n>`)
 */
export async function setDialogueAgenda(actor: Actor | null, input: ParsedCommandInput<"dialogue.setAgenda">) {
  assertCan(actor, "dialogue.manage");
  const dialogue = await prisma.dialogue.findUnique({ where: { id: input.dialogueId }, select: { id: true } });
  if (!dialogue) throw new AppError("not_found");
  const emails = [...new Set(input.items.map((i) => i.speakerEmail).filter(Boolean))];
  const speakers = new Map((await prisma.user.findMany({ where: { email: { in: emails } }, select: { id: true, email: true } })).map((u) => [u.email, u.id]));
  input.items.forEach((item, index) => {
    if (item.speakerEmail && !speakers.has(item.speakerEmail)) throw new AppError("member_unknown", "No member has that email", `items.${index}`);
  });
  await prisma.$transaction(async (tx) => {
    await tx.dialogueAgendaItem.deleteMany({ where: { dialogueId: dialogue.id } });
    await tx.dialogueAgendaItem.createMany({
      data: input.items.map((item, position) => ({
        id: newId(),
        dialogueId: dialogue.id,
        position,
        startsAt: item.startsAt,
        titleEn: item.titleEn,
        titleZh: item.titleZh,
        speakerId: item.speakerEmail ? speakers.get(item.speakerEmail)! : null,
      })),
    });
    await logStaffAction(tx, { actorId: actor.id, action: "dialogue.agenda", targetType: "dialogue", targetId: dialogue.id, data: { items: input.items.length } });
  });
  return { dialogueId: dialogue.id, items: input.items.length };
}

/**
 * Sets the summary: text in each language and/or a policy note (which readers open under the
 * note's own membership).
 * @throws AppError forbidden | not_found (dialogue) | note_unknown
 */
export async function setDialogueSummary(actor: Actor | null, input: ParsedCommandInput<"dialogue.setSummary">) {
  assertCan(actor, "dialogue.manage");
  const dialogue = await prisma.dialogue.findUnique({ where: { id: input.dialogueId }, select: { id: true } });
  if (!dialogue) throw new AppError("not_found");
  if (input.summaryNoteId && !(await prisma.note.findUnique({ where: { id: input.summaryNoteId }, select: { id: true } }))) {
    throw new AppError("note_unknown", "No such note", "summaryNoteId");
  }
  await prisma.$transaction(async (tx) => {
    await tx.dialogue.update({ where: { id: dialogue.id }, data: { summaryEn: input.summaryEn, summaryZh: input.summaryZh, summaryNoteId: input.summaryNoteId ?? null } });
    await logStaffAction(tx, { actorId: actor.id, action: "dialogue.summary", targetType: "dialogue", targetId: dialogue.id });
  });
  return { dialogueId: dialogue.id };
}

export interface AgendaView {
  startsAt: string;
  title: string;
  otherTitle: string;
  /** The speaker's name; null when none, or withheld (`withheld`). */
  speaker: { id: string; name: string } | null;
  withheld: boolean;
  staffOnly: boolean;
}

/**
 * The agenda as a reader sees it: under the Chatham House Rule or off the record a speaker's
 * name is withheld from everyone but staff (and the speaker).
 */
export async function getAgenda(actor: Actor | null, dialogue: { id: string; attributionLevel: AttributionLevel }, locale: "en" | "zh"): Promise<AgendaView[]> {
  const items = await prisma.dialogueAgendaItem.findMany({
    where: { dialogueId: dialogue.id },
    orderBy: { position: "asc" },
    include: { speaker: { select: { id: true, displayName: true } } },
  });
  const pseudonymous = isPseudonymous(dialogue.attributionLevel);
  return items.map((item) => {
    const mayName = !pseudonymous || isStaff(actor) || (actor !== null && item.speakerId === actor.id);
    return {
      startsAt: item.startsAt,
      title: locale === "zh" ? item.titleZh || item.titleEn : item.titleEn || item.titleZh,
      otherTitle: locale === "zh" ? item.titleEn : item.titleZh,
      speaker: item.speaker && mayName ? { id: item.speaker.id, name: item.speaker.displayName } : null,
      withheld: Boolean(item.speaker) && !mayName,
      staffOnly: Boolean(item.speaker) && pseudonymous && isStaff(actor) && item.speakerId !== actor?.id,
    };
  });
}

/** Agenda lines back to the form's text (one per line). */
export async function agendaAsText(dialogueId: string): Promise<string> {
  const items = await prisma.dialogueAgendaItem.findMany({ where: { dialogueId }, orderBy: { position: "asc" }, include: { speaker: { select: { email: true } } } });
  return items.map((i) => [i.startsAt, i.titleEn, i.titleZh, i.speaker?.email ?? ""].join(" | ")).join("\n");
}


/** The summary's policy note for a reader who is one of its members (its title is theirs to read). */
export async function summaryNoteFor(actor: Actor | null, noteId: string | null): Promise<{ id: string; title: string } | null> {
  if (!actor || !noteId) return null;
  return prisma.note.findFirst({ where: { id: noteId, members: { some: { userId: actor.id } } }, select: { id: true, title: true } });
}
