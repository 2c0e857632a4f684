/**
 * Runs a named command (app/realtime/commands.ts) for an actor: validates the input with the
 * command's zod schema and calls the one model function behind it. The HTTP API
 * (`POST /api/commands/<name>`) and the socket handlers both come through here, so every rule
 * holds on either channel.
 */
import type { Actor } from "~/policy.server";
import { commandSchemas, type CommandName, type ParsedCommandInput } from "~/realtime/commands";
import { AppError, type ErrorCode } from "~/utils/errors";
import { isOverload, overloaded } from "~/utils/overload.server";
import {
  deleteThread,
  flagReply,
  hideReply,
  lockThread,
  moveThread,
  pinThread,
  reviewFlags,
  setSlowMode,
  setThreadAttribution,
  suspendMember,
  unhideReply,
  unlockThread,
  unpinThread,
  unsuspendMember,
} from "./moderation.server";
import {
  createCaseStudy,
  createComment,
  deleteCaseStudy,
  deleteComment,
  endorseCaseStudy,
  publishCaseStudy,
  saveVersion,
  unendorseCaseStudy,
  updateCaseStudy,
} from "./case-studies.server";
import { markNotificationsRead } from "./notifications.server";
import { createReply, deleteReply, editReply } from "./replies.server";
import { createThread, markRead, setCategoryWatch, setThreadWatch } from "./threads.server";
import { updateProfile } from "./users.server";
import { deactivateMember, reactivateMember, setMemberRole } from "./accounts/members.server";
import { changePassword } from "./accounts/password.server";
import { deleteMemberAccount, deleteOwnAccount } from "./accounts/deletion.server";
import { resendInvitation, revokeInvitation, sendInvitations } from "./invitations.server";
import { retryEmail, sendTestEmail } from "./email/admin.server";
import { requestEmailChange } from "./email/email-change.server";
import { updateEmailPreferences } from "./email/preferences.server";
import { cancelParticipation, decideParticipation, setParticipantRole } from "./track2/participation.server";
import { configureDialogue, setDialogueAgenda, setDialogueSummary } from "./track2/dialogue-settings.server";
import { addNoteMember, createNote, linkNoteTranslation, removeNoteMember, renameNote, setNoteMemberRole, unlinkNoteTranslation } from "./notes.server";
import { createNoteVersion, renameNoteVersion, restoreNoteVersion } from "./note-history.server";
import { createNoteThread, deleteNoteComment, editNoteComment, replyToNoteThread, setNoteThreadResolved } from "./note-comments.server";
import { createTopic, deleteTopic, moveTopic, renameTopic } from "./topics.server";
import { removeCalendarFeed, resetCalendarFeed } from "./calendar/feeds.server";
import {
  addOutcomeEvidence,
  addOutcomeOrigin,
  deleteOutcome,
  proposeOutcome,
  removeOutcomeEvidence,
  removeOutcomeOrigin,
  reviewOutcome,
  setOutcomeStatus,
  updateOutcome,
} from "./outcomes/outcomes.server";
import { addQuestion, closeSurvey, createSurvey, deleteSurvey, moveQuestion, openSurvey, removeQuestion, updateQuestion, updateSurvey } from "./surveys/surveys.server";
import { saveResponse } from "./surveys/responses.server";
import { machineTranslateReply, requestReplyTranslation, translateReply, untranslateReply } from "./translations/replies.server";
import { machineTranslateTitle, requestTitleTranslation, translateTitle, untranslateTitle } from "./translations/titles.server";
import { updateTranslationSettings } from "./translations/settings.server";
import { translateCaseStudyComment, translateNoteComment, untranslateCaseStudyComment, untranslateNoteComment } from "./translations/comments.server";

/** Error codes a command schema may give as an issue's message (the rest are "validation"). */
const SCHEMA_CODES = [
  "title_required",
  "version_name_required",
  "version_name_too_long",
  "comment_empty",
  "comment_too_long",
  "anchor_invalid",
  "email_invalid",
  "time_zone_invalid",
  "translation_empty",
  "translation_too_long",
] as const satisfies readonly ErrorCode[];

type Handlers = { [N in CommandName]: (actor: Actor | null, input: ParsedCommandInput<N>) => Promise<unknown> };

const handlers: Handlers = {
  "thread.create": async (actor, input) => {
    const { thread, reply } = await createThread(actor, input);
    return { threadId: thread.id, replyId: reply.id };
  },
  "reply.create": createReply,
  "reply.edit": editReply,
  "reply.delete": deleteReply,
  "reply.flag": flagReply,
  "thread.watch": setThreadWatch,
  "category.watch": setCategoryWatch,
  "thread.markRead": markRead,
  "notifications.markRead": markNotificationsRead,
  "thread.pin": pinThread,
  "thread.unpin": unpinThread,
  "thread.lock": lockThread,
  "thread.unlock": unlockThread,
  "thread.move": moveThread,
  "thread.delete": deleteThread,
  "thread.slowMode": setSlowMode,
  "reply.hide": hideReply,
  "reply.unhide": unhideReply,
  "flag.review": reviewFlags,
  "member.suspend": suspendMember,
  "member.unsuspend": unsuspendMember,
  "profile.update": updateProfile,
  "member.setRole": setMemberRole,
  "member.deactivate": deactivateMember,
  "member.reactivate": reactivateMember,
  "invitation.revoke": revokeInvitation,
  "invitation.send": sendInvitations,
  "invitation.resend": resendInvitation,
  "email.change": requestEmailChange,
  "emailPreferences.update": updateEmailPreferences,
  "email.retry": retryEmail,
  "email.sendTest": sendTestEmail,
  "participation.decide": decideParticipation,
  "participation.cancel": cancelParticipation,
  "participation.setRole": setParticipantRole,
  "thread.attribution": setThreadAttribution,
  "reply.translate": translateReply,
  "reply.untranslate": untranslateReply,
  "reply.requestTranslation": requestReplyTranslation,
  "reply.machineTranslate": machineTranslateReply,
  "thread.translateTitle": translateTitle,
  "thread.untranslateTitle": untranslateTitle,
  "thread.requestTitleTranslation": requestTitleTranslation,
  "thread.machineTranslateTitle": machineTranslateTitle,
  "translationSettings.update": updateTranslationSettings,
  "caseStudyComment.translate": translateCaseStudyComment,
  "caseStudyComment.untranslate": untranslateCaseStudyComment,
  "noteComment.translate": translateNoteComment,
  "noteComment.untranslate": untranslateNoteComment,
  "dialogue.configure": configureDialogue,
  "dialogue.setAgenda": setDialogueAgenda,
  "dialogue.setSummary": setDialogueSummary,
  "password.change": changePassword,
  "member.delete": deleteMemberAccount,
  "account.delete": deleteOwnAccount,
  "caseStudy.create": createCaseStudy,
  "caseStudy.update": updateCaseStudy,
  "caseStudy.publish": publishCaseStudy,
  "caseStudy.delete": deleteCaseStudy,
  "caseStudyVersion.save": saveVersion,
  "caseStudyComment.create": createComment,
  "caseStudyComment.delete": deleteComment,
  "caseStudy.endorse": endorseCaseStudy,
  "caseStudy.unendorse": unendorseCaseStudy,
  "topic.create": createTopic,
  "topic.rename": renameTopic,
  "topic.move": moveTopic,
  "topic.delete": deleteTopic,
  "note.create": createNote,
  "note.rename": renameNote,
  "noteMember.add": addNoteMember,
  "noteMember.setRole": setNoteMemberRole,
  "noteMember.remove": removeNoteMember,
  "noteVersion.create": createNoteVersion,
  "noteVersion.rename": renameNoteVersion,
  "noteVersion.restore": restoreNoteVersion,
  "note.linkTranslation": linkNoteTranslation,
  "outcome.propose": proposeOutcome,
  "outcome.update": updateOutcome,
  "outcome.review": reviewOutcome,
  "outcome.setStatus": setOutcomeStatus,
  "outcome.addOrigin": addOutcomeOrigin,
  "outcome.removeOrigin": removeOutcomeOrigin,
  "outcome.addEvidence": addOutcomeEvidence,
  "outcome.removeEvidence": removeOutcomeEvidence,
  "outcome.delete": deleteOutcome,
  "survey.create": createSurvey,
  "survey.update": updateSurvey,
  "survey.open": openSurvey,
  "survey.close": closeSurvey,
  "survey.delete": deleteSurvey,
  "surveyQuestion.add": addQuestion,
  "surveyQuestion.update": updateQuestion,
  "surveyQuestion.move": moveQuestion,
  "surveyQuestion.remove": removeQuestion,
  "surveyResponse.save": saveResponse,
  "calendarFeed.reset": resetCalendarFeed,
  "calendarFeed.remove": removeCalendarFeed,
  "note.unlinkTranslation": unlinkNoteTranslation,
  "noteComment.create": createNoteThread,
  "noteComment.reply": replyToNoteThread,
  "noteComment.resolve": (actor, input) => setNoteThreadResolved(actor, input, true),
  "noteComment.reopen": (actor, input) => setNoteThreadResolved(actor, input, false),
  "noteComment.edit": editNoteComment,
  "noteComment.delete": deleteNoteComment,
};

/**
 * @throws AppError from the model function, AppError("validation") (with the first field)
 *   when the input does not match the command's schema, or AppError("overloaded") (503) when
 *   the database was too busy to start its work (nothing was written; the client may retry)
 */
export async function runCommand<N extends CommandName>(name: N, actor: Actor | null, rawInput: unknown): Promise<unknown> {
  const parsed = commandSchemas[name].safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const known = SCHEMA_CODES.find((code) => code === issue?.message) ?? "validation";
    throw new AppError(known, issue?.message ?? "invalid", issue?.path.join("."));
  }
  const handler = handlers[name] as (actor: Actor | null, input: unknown) => Promise<unknown>;
  try {
    return await handler(actor, parsed.data);
  } catch (error) {
    if (isOverload(error)) throw overloaded(error, { command: name, userId: actor?.id ?? null });
    throw error;
  }
}

