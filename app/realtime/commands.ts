/**
 * Every write a member can make, by name, with its input schema. The same names and schemas
 * serve the HTTP API (`POST /api/commands/<name>`) and the socket (one event per name), and
 * both run the same model function (`app/models/commands.server.ts`), so a write refused over
 * HTTP is refused over the socket too. Shared by server and browser (types and validation).
 */
import type { ZodRawShape } from "zod";
import { isTimeZone, zonedDayStart } from "~/utils/dates";
import { z } from "~/utils/validation";

const id = z.string().min(1).max(40);
/** Rich content (ProseMirror JSON, object or string) or plain text from the no-JS textarea. */
const content = { content: z.unknown().optional(), body: z.string().max(100_000).optional() };
/**
 * A key the client makes up once per post (8–64 letters, digits, `-` or `_`) and sends again
 * with every retry of it: the server then answers a retry with what the first attempt created
 * instead of posting twice (issue #11; the pattern of Stripe's Idempotency-Key).
 */
const idempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional();
export const watchLevels = ["watching", "tracking", "normal", "muted"] as const;
export const flagReasons = ["off_topic", "inappropriate", "spam", "other"] as const;
export const caseStudyLanguages = ["en", "zh"] as const;
export const translationLanguages = ["en", "zh"] as const;
export const translationDisplays = ["translated", "original", "both"] as const;
const commentTranslationBody = z.string().trim().min(1, { message: "translation_empty" }).max(20_000, { message: "translation_too_long" });
export const translationKinds = ["original", "human", "machine"] as const;
/** Roles the owner can give on a policy note (there is one owner, the note's creator). */
export const noteMemberRoles = ["editor", "commenter", "viewer"] as const;
/** A list of ids from JSON (an array) or a form (one value, or repeated fields collected into an array). */
const ids = z.preprocess((v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(id).max(20));
/** A checkbox: true, "on", "true" or "1" is checked; anything else (or absent) is not. */
const flag = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());
/** One language version's fields; the body is rich content (`content`) or plain text (`body`). */
const versionFields = {
  language: z.enum(caseStudyLanguages),
  title: z.string().trim().min(1, { message: "title_required" }).max(200),
  summary: z.string().trim().max(1000).default(""),
  translation: z.enum(translationKinds).default("original"),
  content: z.unknown().optional(),
  body: z.string().max(200_000).optional(),
};
/**
 * The revision an edit was made from (optimistic concurrency): when the stored one has moved on,
 * the save is refused with `edit_conflict` instead of overwriting someone else's change. Left
 * out, the edit applies to whatever is stored (API callers who mean to overwrite).
 */
const baseRevision = z.coerce.number().int().min(0).max(1_000_000_000).optional();
/**
 * What a language-version form was opened on: "new" (no version in that language yet) or the
 * version's `updatedAt` (ISO 8601). A save from anything but the stored state is refused with
 * `edit_conflict`; left out, the save applies to whatever is stored.
 */
const baseVersion = z.union([z.literal("new"), z.iso.datetime({ offset: true })]).optional();
const topicNames = { nameEn: z.string().trim().min(1).max(100), nameZh: z.string().trim().min(1).max(100) };

/** The longest name a note version may have. */
export const NOTE_VERSION_NAME_MAX = 100;
const versionName = z
  .string({ message: "version_name_required" })
  .trim()
  .min(1, { message: "version_name_required" })
  .max(NOTE_VERSION_NAME_MAX, { message: "version_name_too_long" });

/** Languages a member can tick on their profile; others are typed as ISO 639-1 codes. */
export const profileLanguages = ["en", "zh"] as const;
/** A Latin-script name: letters (with accents), spaces and the usual name punctuation. */
const latinName = /^[\p{Script=Latin}\p{M}\s.'’,()-]*$/u;
/** A Chinese-script name: at least one Han character (a middle dot or a space may separate parts). */
const chineseName = /^$|^(?=.*\p{Script=Han})[\p{Script=Han}·・\s]+$/u;

/**
 * A member's directory profile. Every field is optional so the API can change one at a time; the
 * settings form sends them all. Empty optional names, title and bio clear them; `regionId` null
 * or "" clears the region.
 */
export const profileUpdateSchema = z
  .object({
    displayName: z.string().trim().min(1).max(100),
    nameLatin: z.string().trim().max(100).regex(latinName, { message: "name_latin_invalid" }),
    nameChinese: z.string().trim().max(50).regex(chineseName, { message: "name_chinese_invalid" }),
    organisation: z.string().trim().max(200),
    title: z.string().trim().max(200),
    regionId: z.string().trim().max(40).nullable().transform((v) => v || null),
    languages: z
      .array(z.string().trim().toLowerCase().regex(/^[a-z]{2}$/, { message: "language_invalid" }))
      .max(12)
      .transform((codes) => [...new Set(codes)]),
    // Plain text; a textarea sends CRLF line ends, which should not count twice toward the limit.
    bio: z
      .string()
      .transform((v) => v.replace(/\r\n?/g, "\n").trim())
      .pipe(z.string().max(2000, { message: "bio_too_long" })),
    locale: z.enum(["en", "zh"]),
    /** The profile revision the form was opened on (see `baseRevision`). */
    baseRevision: z.coerce.number().int().min(0).max(1_000_000_000),
  })
  .partial();

/** Note comments: plain text, at most 5000 characters (CRLF counted once). */
export const MAX_NOTE_COMMENT_CHARS = 5000;
const commentBody = z
  .string({ message: "comment_empty" })
  .transform((v) => v.replace(/\r\n?/g, "\n").trim())
  .pipe(z.string().min(1, { message: "comment_empty" }).max(MAX_NOTE_COMMENT_CHARS, { message: "comment_too_long" }));
/**
 * A Yjs relative position (`Y.encodeRelativePosition`) in base64: at most 256 bytes. The model
 * decodes it (app/editor/note-anchors.ts); here only its shape is checked, so the browser
 * bundle does not need Yjs to load this file.
 */
const anchor = z.string({ message: "anchor_invalid" }).max(344, { message: "anchor_invalid" }).regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: "anchor_invalid" });

const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/**
 * A command with a day that staff pick in a date field (pin until, suspend until, the day an
 * outcome changed): a bare day (`YYYY-MM-DD`) in `field` means the start of that day in the
 * picker's `timeZone` (an IANA name the page sends beside it; UTC without one), so it shows as the
 * same day to them afterwards. A full ISO date-time (the API) is taken as the instant it names.
 */
function withStaffDay<T extends ZodRawShape>(shape: T, field = "until") {
  return z.preprocess((raw) => {
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
    const { timeZone, ...rest } = raw as Record<string, unknown>;
    const day = rest[field];
    if (typeof day === "string" && DAY_ONLY.test(day.trim())) {
      return { ...rest, [field]: zonedDayStart(day.trim(), typeof timeZone === "string" ? timeZone : undefined) ?? "invalid" };
    }
    return rest;
  }, z.object(shape));
}

/** Roles an admin gives members. */
export const memberRoles = ["member", "moderator", "admin"] as const;
/** Why an admin changed an account: recorded in the staff log with the change. */
const adminReason = z.string().trim().min(1).max(500);
/** A password as typed (checked against the rules by the model, never trimmed). */
const password = z.string().max(200);

export const outcomeTypes = ["policy_idea", "joint_project", "commitment", "publication"] as const;
export const outcomeStatuses = ["proposed", "under_discussion", "adopted", "implemented", "not_pursued"] as const;
export const outcomeOriginKinds = ["dialogue", "thread", "note", "case_study"] as const;
/** The longest outcome title and summary, in characters. */
export const OUTCOME_TITLE_MAX = 200;
export const OUTCOME_SUMMARY_MAX = 4000;
const outcomeTitle = z.string().trim().max(OUTCOME_TITLE_MAX).default("");
const outcomeSummary = z
  .string()
  .transform((v) => v.replace(/\r\n?/g, "\n").trim())
  .pipe(z.string().max(OUTCOME_SUMMARY_MAX))
  .default("");
const outcomeTexts = { titleEn: outcomeTitle, titleZh: outcomeTitle, summaryEn: outcomeSummary, summaryZh: outcomeSummary };
const outcomeOrigin = z.object({ kind: z.enum(outcomeOriginKinds), refId: id });

const attributionLevels = ["on_record", "chatham_house", "off_the_record"] as const;
const participantRoles = ["speaker", "moderator", "participant", "observer", "interpreter"] as const;
const agendaItem = z.object({
  startsAt: z.string().trim().max(40).default(""),
  titleEn: z.string().trim().max(300).default(""),
  titleZh: z.string().trim().max(300).default(""),
  speakerEmail: z.string().trim().toLowerCase().max(254).default(""),
}).refine((item) => item.titleEn || item.titleZh, { message: "title_required", path: ["titleEn"] });

/** The agenda form's text: one session per line, fields separated by `|`; blank lines skipped. */
function agendaLines(value: unknown): unknown {
  if (typeof value !== "string") return value;
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [startsAt = "", titleEn = "", titleZh = "", speakerEmail = ""] = line.split("|").map((part) => part.trim());
      return { startsAt, titleEn, titleZh, speakerEmail };
    });
}

export const surveyAudiences = ["all_members", "regions", "dialogue", "public_link"] as const;
export const surveyQuestionTypes = ["single_choice", "multiple_choice", "scale", "number", "short_text", "long_text", "region"] as const;
/** Limits of a survey's texts, in characters. */
export const SURVEY_TITLE_MAX = 200;
export const SURVEY_INTRO_MAX = 4000;
export const SURVEY_PROMPT_MAX = 500;
export const SURVEY_OPTIONS_MAX = 30;
/** Longest answer to a short / long text question. */
export const SURVEY_SHORT_ANSWER_MAX = 300;
export const SURVEY_LONG_ANSWER_MAX = 5000;
/** Plain text from a textarea: CRLF counted once, trimmed, at most `max` characters. */
const plainText = (max: number) =>
  z
    .string()
    .transform((v) => v.replace(/\r\n?/g, "\n").trim())
    .pipe(z.string().max(max))
    .default("");
/**
 * A survey's opening and closing days as staff pick them in date fields: a bare day opens at the
 * start of that day and closes at the end of it, in the picker's `timeZone`; "" leaves it unset;
 * a full ISO date-time (the API) is the instant it names.
 */
function withSurveyDays<T extends ZodRawShape>(shape: T) {
  return z.preprocess((raw) => {
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
    const { timeZone, ...rest } = raw as Record<string, unknown>;
    const zone = typeof timeZone === "string" ? timeZone : undefined;
    for (const [field, offsetDays] of [["opensAt", 0], ["closesAt", 1]] as const) {
      const day = rest[field];
      if (day === "") rest[field] = null;
      else if (typeof day === "string" && DAY_ONLY.test(day.trim())) {
        const start = zonedDayStart(day.trim(), zone);
        rest[field] = start ? new Date(start.getTime() + offsetDays * 86_400_000) : "invalid";
      }
    }
    return rest;
  }, z.object(shape));
}
const surveyFields = {
  titleEn: z.string().trim().max(SURVEY_TITLE_MAX).default(""),
  titleZh: z.string().trim().max(SURVEY_TITLE_MAX).default(""),
  introEn: plainText(SURVEY_INTRO_MAX),
  introZh: plainText(SURVEY_INTRO_MAX),
  /** "" or absent: both languages; "en"/"zh": written in that language only, on purpose. */
  singleLanguage: z.preprocess((v) => (v === "" ? null : v), z.enum(caseStudyLanguages).nullable().default(null)),
  audience: z.enum(surveyAudiences),
  regionIds: ids,
  dialogueId: z.preprocess((v) => (v === "" ? null : v), id.nullable().default(null)),
  anonymous: flag,
  sharesResults: flag,
  opensAt: z.coerce.date().nullable().default(null),
  closesAt: z.coerce.date().nullable().default(null),
};
/**
 * A question's fields. `options`: one choice per line, "English | 中文" (or an array of
 * `{ en, zh }` from the API); only choice questions have them.
 */
const surveyQuestionFields = {
  type: z.enum(surveyQuestionTypes),
  promptEn: plainText(SURVEY_PROMPT_MAX),
  promptZh: plainText(SURVEY_PROMPT_MAX),
  helpEn: plainText(SURVEY_PROMPT_MAX),
  helpZh: plainText(SURVEY_PROMPT_MAX),
  sectionEn: z.string().trim().max(SURVEY_TITLE_MAX).default(""),
  sectionZh: z.string().trim().max(SURVEY_TITLE_MAX).default(""),
  required: flag,
  options: z
    .union([
      z.string().max(20_000),
      z.array(z.object({ en: z.string().trim().max(SURVEY_PROMPT_MAX).default(""), zh: z.string().trim().max(SURVEY_PROMPT_MAX).default("") })).max(SURVEY_OPTIONS_MAX),
    ])
    .default(""),
  minValue: z.preprocess((v) => (v === "" ? null : v), z.coerce.number().finite().min(-1e12).max(1e12).nullable().default(null)),
  maxValue: z.preprocess((v) => (v === "" ? null : v), z.coerce.number().finite().min(-1e12).max(1e12).nullable().default(null)),
};
/** Answers by question id: a choice id or text (string), several choice ids, or a number. */
const surveyAnswers = z
  .record(id, z.union([z.string().max(20_000), z.array(z.string().max(40)).max(SURVEY_OPTIONS_MAX), z.number().finite()]))
  .refine((r) => Object.keys(r).length <= 200, { message: "too_long" })
  .default({});

export const commandSchemas = {
  "thread.create": z.object({
    dialogueId: id.nullable().optional(),
    caseStudyId: id.nullable().optional(),
    title: z.string().trim().min(1, { message: "title_required" }).max(200),
    ...content,
  }),
  "reply.create": z.object({ threadId: id, replyToId: id.optional(), idempotencyKey, ...content }),
  "reply.edit": z.object({ replyId: id, ...content, baseRevision }),
  "reply.delete": z.object({ replyId: id }),
  "reply.flag": z.object({ replyId: id, reason: z.enum(flagReasons), note: z.string().trim().max(1000).default("") }),
  "thread.watch": z.object({ threadId: id, level: z.enum(watchLevels) }),
  "category.watch": z.object({ categoryKey: z.string().regex(/^(network|dialogue:[a-z0-9]{1,40})$/), level: z.enum(watchLevels) }),
  "thread.markRead": z.object({ threadId: id, postNumber: z.number().int().min(0) }),
  "notifications.markRead": z.object({ notificationId: id.optional() }),
  "thread.pin": withStaffDay({ threadId: id, until: z.coerce.date().optional() }),
  "thread.unpin": z.object({ threadId: id }),
  "thread.lock": z.object({ threadId: id, reason: z.string().trim().max(500).default("") }),
  "thread.unlock": z.object({ threadId: id }),
  "thread.move": z.object({ threadId: id, dialogueId: id.nullable(), reason: z.string().trim().max(500).default("") }),
  "thread.delete": z.object({ threadId: id, reason: z.string().trim().max(500).default("") }),
  "thread.slowMode": z.object({ threadId: id, seconds: z.coerce.number().int().min(0).max(86_400) }),
  "reply.hide": z.object({ replyId: id, reason: z.string().trim().min(1).max(500) }),
  "reply.unhide": z.object({ replyId: id }),
  "flag.review": z.object({ replyId: id, decision: z.enum(["agree", "disagree", "ignore"]) }),
  "member.suspend": withStaffDay({ userId: id, until: z.coerce.date(), reason: z.string().trim().min(1).max(500) }),
  "member.unsuspend": z.object({ userId: id }),
  "profile.update": profileUpdateSchema,
  /** Admins (app/models/accounts/members.server.ts); every change is logged with its reason. */
  "member.setRole": z.object({ userId: id, role: z.enum(memberRoles), reason: adminReason }),
  "member.deactivate": z.object({ userId: id, reason: adminReason }),
  "member.reactivate": z.object({ userId: id, reason: adminReason }),
  /** An admin deletes a member's account on their request (the same deletion as `account.delete`). */
  "member.delete": z.object({ userId: id, reason: adminReason }),
  "invitation.revoke": z.object({ invitationId: id, reason: adminReason }),
  /** Invites addresses (one per line) by email; each line is reported on its own. */
  "invitation.send": z.object({
    emails: z.string().max(30_000),
    role: z.enum(memberRoles).default("member"),
    expiresInDays: z.coerce.number().int().min(1).max(90).default(14),
    note: z.string().trim().max(200).default(""),
    message: z.string().trim().max(2000).default(""),
    /** The language written first in the email (both are in it). */
    locale: z.enum(caseStudyLanguages).default("en"),
  }),
  /** Sends an outstanding email invitation again with a fresh link. */
  "invitation.resend": z.object({ invitationId: id }),
  /** A new address for one's account, confirmed with the password; changes once the link sent there is followed. */
  "email.change": z.object({ newEmail: z.string().trim().toLowerCase().pipe(z.email({ message: "email_invalid" })).pipe(z.string().max(254)), password }),
  /** One's email preferences and time zone (a missing tick box is off). */
  "emailPreferences.update": z.object({
    mentions: flag,
    replies: flag,
    watching: flag,
    notes: flag,
    caseStudies: flag,
    reminders: flag,
    digest: z.enum(["off", "daily", "weekly"]),
    /** An IANA zone; "" or null: from the member's region. */
    timeZone: z.preprocess((v) => (v === "" ? null : v), z.string().max(64).refine(isTimeZone, { message: "time_zone_invalid" }).nullable().optional()),
    resumeBouncing: flag,
  }),
  /** Admins: queue a failed, held or suppressed email again. */
  "email.retry": z.object({ emailId: id }),
  /** Admins: a test email, to their own address unless another is given. */
  "email.sendTest": z.object({ to: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().toLowerCase().pipe(z.email({ message: "email_invalid" })).optional()) }),
  /** Staff: accept or decline a request to take part in a dialogue (the requester is emailed). */
  "participation.decide": z.object({
    requestId: id,
    decision: z.enum(["approved", "waitlisted", "declined"]),
    role: z.preprocess((v) => (v === "" ? undefined : v), z.enum(participantRoles).optional()),
    note: z.string().trim().max(2000).default(""),
  }),
  /** The requester (or staff) withdraws a request or a place; the waiting list moves up. */
  "participation.cancel": z.object({ requestId: id }),
  /** Staff: speaker, moderator, participant, observer or interpreter. */
  "participation.setRole": z.object({ requestId: id, role: z.enum(participantRoles) }),
  /**
   * Translations (docs/decisions/040-translations-of-replies.md): a reply's translation into
   * `language`, as rich content or as text (`body`, like reply.create); adding one where one
   * exists improves it. `reply.untranslate` removes it (author, translator or staff).
   */
  "reply.translate": z.object({ replyId: id, language: z.enum(translationLanguages), ...content }),
  "reply.untranslate": z.object({ replyId: id, language: z.enum(translationLanguages) }),
  /** Asks for a translation: the reply goes to the top of /translations and followers are told. */
  "reply.requestTranslation": z.object({ replyId: id }),
  /** A machine translation into the other language (only with TRANSLATE_URL set). */
  "reply.machineTranslate": z.object({ replyId: id }),
  "thread.translateTitle": z.object({ threadId: id, language: z.enum(translationLanguages), title: z.string().trim().min(1, { message: "title_required" }).max(200) }),
  "thread.untranslateTitle": z.object({ threadId: id, language: z.enum(translationLanguages) }),
  "thread.requestTitleTranslation": z.object({ threadId: id }),
  "thread.machineTranslateTitle": z.object({ threadId: id }),
  /** A comment's translation, as plain text (comments on case studies and on notes' text). */
  "caseStudyComment.translate": z.object({ commentId: id, language: z.enum(translationLanguages), body: commentTranslationBody }),
  "caseStudyComment.untranslate": z.object({ commentId: id, language: z.enum(translationLanguages) }),
  "noteComment.translate": z.object({ commentId: id, language: z.enum(translationLanguages), body: commentTranslationBody }),
  "noteComment.untranslate": z.object({ commentId: id, language: z.enum(translationLanguages) }),
  /** How the member reads translated replies, and whether they follow the translation queue. */
  "translationSettings.update": z.object({ display: z.enum(translationDisplays), follow: flag }),
  /** Staff: a thread's own attribution level, or `inherit` to follow its dialogue's. */
  "thread.attribution": z.object({ threadId: id, level: z.enum(["inherit", ...attributionLevels]) }),
  /** Admins: the dialogue's attribution level and capacity (empty: no limit). */
  "dialogue.configure": z.object({
    dialogueId: id,
    attributionLevel: z.enum(attributionLevels),
    /** Machine translation in its Chatham House and off-the-record threads (their words leave the server). */
    allowMachineTranslation: flag,
    capacity: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number().int().min(1).max(10_000).optional()),
  }),
  /** Admins: the agenda, as items or as lines `time | English title | 中文标题 | speaker email`. */
  "dialogue.setAgenda": z.object({ dialogueId: id, items: z.preprocess(agendaLines, z.array(agendaItem).max(60)) }),
  /** Admins: the summary once held — text in each language and/or a policy note. */
  "dialogue.setSummary": z.object({
    dialogueId: id,
    summaryEn: z.string().trim().max(20_000).default(""),
    summaryZh: z.string().trim().max(20_000).default(""),
    summaryNoteId: z.preprocess((v) => (v === "" ? null : v), id.nullable().optional()),
  }),
  /** One's own password: the current one, then the new one; every other session ends. */
  "password.change": z.object({ currentPassword: password, newPassword: password }),
  /** Deletes one's own account, confirmed with the password (GDPR Art. 17, PIPL Art. 47). */
  "account.delete": z.object({ password }),

  "caseStudy.create": z.object({ ...versionFields, regionIds: ids, topicIds: ids, isPublic: flag }),
  "caseStudy.update": z.object({ caseStudyId: id, regionIds: ids, topicIds: ids, isPublic: flag }),
  "caseStudy.publish": z.object({ caseStudyId: id, published: z.preprocess((v) => (v === undefined ? true : v === true || v === "true" || v === "1" || v === "on"), z.boolean()) }),
  "caseStudy.delete": z.object({ caseStudyId: id }),
  "caseStudyVersion.save": z.object({ caseStudyId: id, ...versionFields, baseVersion }),
  "caseStudyComment.create": z.object({ caseStudyId: id, idempotencyKey, ...content }),
  "caseStudyComment.delete": z.object({ commentId: id }),
  "caseStudy.endorse": z.object({ caseStudyId: id }),
  "caseStudy.unendorse": z.object({ caseStudyId: id }),
  "topic.create": z.object({ slug: z.string().trim().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(60), ...topicNames }),
  "topic.rename": z.object({ topicId: id, ...topicNames }),
  "topic.move": z.object({ topicId: id, direction: z.enum(["up", "down"]) }),
  "topic.delete": z.object({ topicId: id }),
  "note.create": z.object({
    title: z.string().trim().min(1, { message: "title_required" }).max(200),
    dialogueId: z.preprocess((v) => (v === "" ? null : v), id.nullable().optional()),
    regionIds: ids,
    /** The note's language; the create form defaults it to the UI language, the API to English. */
    language: z.preprocess((v) => (v === "" ? undefined : v), z.enum(caseStudyLanguages).optional()),
  }),
  "note.rename": z.object({ noteId: id, title: z.string().trim().min(1, { message: "title_required" }).max(200) }),
  /** `member` is a member's id or e-mail address. */
  "noteMember.add": z.object({ noteId: id, member: z.string().trim().min(1).max(320), role: z.enum(noteMemberRoles) }),
  "noteMember.setRole": z.object({ noteId: id, userId: id, role: z.enum(noteMemberRoles) }),
  "noteMember.remove": z.object({ noteId: id, userId: id }),
  /** Saves the note's current state as a named version (app/models/note-history.server.ts). */
  "noteVersion.create": z.object({ noteId: id, name: versionName }),
  /** Names or renames a version, automatic or not. */
  "noteVersion.rename": z.object({ noteId: id, versionId: id, name: versionName }),
  /** Restores a version's content as a new change everyone sees live. */
  "noteVersion.restore": z.object({ noteId: id, versionId: id }),
  /** Links `noteId` (owned by the actor) with `otherNoteId` (readable by the actor, other language). */
  "note.linkTranslation": z.object({ noteId: id, otherNoteId: id }),
  "note.unlinkTranslation": z.object({ noteId: id }),
  /** A member proposes an outcome (in one language or both), optionally from where it came. */
  "outcome.propose": z.object({ type: z.enum(outcomeTypes), ...outcomeTexts, regionIds: ids, isPublic: flag, origin: outcomeOrigin.optional() }),
  /** Staff edit an outcome's texts, type, visibility and regions (from the revision they saw). */
  "outcome.update": z.object({ outcomeId: id, type: z.enum(outcomeTypes), ...outcomeTexts, regionIds: ids, isPublic: flag, baseRevision }),
  /** Staff take a proposal into the register, or decline it. */
  "outcome.review": z.object({ outcomeId: id, decision: z.enum(["accept", "decline"]) }),
  /** Staff record a step of the outcome's timeline: its status from a day (in their zone), with a note. */
  "outcome.setStatus": withStaffDay(
    { outcomeId: id, status: z.enum(outcomeStatuses), day: z.coerce.date(), note: z.string().trim().max(2000).default("") },
    "day",
  ),
  "outcome.addOrigin": z.object({ outcomeId: id, ...outcomeOrigin.shape }),
  "outcome.removeOrigin": z.object({ outcomeId: id, ...outcomeOrigin.shape }),
  "outcome.addEvidence": z.object({
    outcomeId: id,
    url: z.string().trim().max(2000).url({ message: "url_invalid" }).refine((v) => /^https?:\/\//i.test(v), { message: "url_invalid" }),
    label: z.string().trim().min(1).max(300),
  }),
  "outcome.removeEvidence": z.object({ evidenceId: id }),
  "outcome.delete": z.object({ outcomeId: id }),
  /** Staff write a survey: texts in both languages, audience, rules and dates (a draft until opened). */
  "survey.create": withSurveyDays(surveyFields),
  /** Staff edit a survey's texts, audience, rules and dates (from the revision they saw). */
  "survey.update": withSurveyDays({ surveyId: id, ...surveyFields, baseRevision }),
  /** Staff open a complete survey to its audience (announced to them); or close it now. */
  "survey.open": z.object({ surveyId: id }),
  "survey.close": z.object({ surveyId: id }),
  "survey.delete": z.object({ surveyId: id }),
  "surveyQuestion.add": z.object({ surveyId: id, ...surveyQuestionFields }),
  "surveyQuestion.update": z.object({ questionId: id, ...surveyQuestionFields }),
  "surveyQuestion.move": z.object({ questionId: id, direction: z.enum(["up", "down"]) }),
  "surveyQuestion.remove": z.object({ questionId: id }),
  /**
   * A respondent saves their answers as a draft, or submits them (`submit`). `token` is the
   * public link's; `browserKey` the browser's own random key (set by the page from a cookie) for
   * respondents without an account.
   */
  "surveyResponse.save": z.object({
    surveyId: id,
    token: z.string().max(100).optional(),
    browserKey: z.string().regex(/^[A-Za-z0-9_-]{16,100}$/).optional(),
    answers: surveyAnswers,
    submit: flag,
    locale: z.enum(caseStudyLanguages).default("en"),
  }),
  /** A new secret address for the member's calendar feed (the old one stops working). */
  "calendarFeed.reset": z.object({}),
  /** Turns the member's calendar feed off. */
  "calendarFeed.remove": z.object({}),
  /** Opens a comment thread on the range between two anchors; `quote` is the selected text. */
  "noteComment.create": z.object({
    noteId: id,
    anchorStart: anchor,
    anchorEnd: anchor,
    quote: z.string().trim().min(1, { message: "anchor_invalid" }).max(1000),
    body: commentBody,
  }),
  "noteComment.reply": z.object({ threadId: id, body: commentBody }),
  "noteComment.resolve": z.object({ threadId: id }),
  "noteComment.reopen": z.object({ threadId: id }),
  "noteComment.edit": z.object({ commentId: id, body: commentBody }),
  "noteComment.delete": z.object({ commentId: id }),
} as const;

export type CommandName = keyof typeof commandSchemas;
export type CommandInput<N extends CommandName> = z.input<(typeof commandSchemas)[N]>;
export type ParsedCommandInput<N extends CommandName> = z.output<(typeof commandSchemas)[N]>;
export const commandNames = Object.keys(commandSchemas) as CommandName[];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commandSchemas, name);
}
