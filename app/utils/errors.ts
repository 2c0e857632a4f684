/**
 * Errors the domain layer throws on purpose. Each carries a stable `code` that the UI
 * translates (`errors.<code>` in public/locales/*\/common.json) and an HTTP status.
 */
export type ErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "validation"
  | "invalid_credentials"
  | "invitation_invalid"
  | "email_taken"
  | "password_too_short"
  | "password_too_common"
  | "reply_empty"
  | "reply_too_long"
  | "rate_limited"
  | "signin_throttled"
  | "bad_origin"
  | "suspended"
  | "thread_locked"
  | "slow_mode"
  | "already_flagged"
  | "title_required"
  | "mention_unknown"
  | "mention_not_allowed"
  | "link_not_allowed"
  | "reply_invalid"
  | "case_study_empty"
  | "case_study_too_long"
  | "case_study_invalid"
  | "image_not_allowed"
  | "region_required"
  | "topic_in_use"
  | "topic_exists"
  | "upload_missing"
  | "upload_too_large"
  | "upload_not_image"
  | "upload_type_mismatch"
  | "member_unknown"
  | "note_owner"
  | "note_member_exists"
  | "update_too_large"
  | "command_unknown"
  | "body_malformed"
  | "method_not_allowed"
  | "version_name_required"
  | "version_name_too_long"
  | "version_unavailable"
  | "version_unchanged"
  | "translation_same_language"
  | "translation_self"
  | "translation_taken"
  | "translation_unchanged"
  | "translation_original_language"
  | "translation_empty"
  | "translation_too_long"
  | "translation_human_exists"
  | "machine_translation_off"
  | "machine_translation_not_allowed"
  | "machine_translation_failed"
  | "machine_translation_timeout"
  | "confirmation_required"
  | "edit_conflict"
  | "both_languages_required"
  | "outcome_reviewed"
  | "body_too_large"
  | "comment_empty"
  | "comment_too_long"
  | "anchor_invalid"
  | "account_deactivated"
  | "last_admin"
  | "invitation_not_open"
  | "password_incorrect"
  | "password_same"
  | "endorse_own"
  | "overloaded"
  | "unavailable"
  | "update_incomplete"
  | "email_invalid"
  | "email_same"
  | "email_throttled"
  | "email_change_invalid"
  | "email_not_retryable"
  | "reset_token_invalid"
  | "time_zone_invalid"
  | "participation_decided"
  | "participation_full"
  | "participation_not_yours"
  | "capacity_below_participants"
  | "note_unknown"
  | "survey_incomplete"
  | "survey_no_questions"
  | "survey_locked"
  | "survey_closed"
  | "survey_answered"
  | "survey_dates_invalid"
  | "survey_audience_invalid"
  | "options_required"
  | "answer_required"
  | "answer_invalid"
  | "answer_out_of_range"
  | "answer_too_long";

const statusByCode: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  validation: 400,
  invalid_credentials: 400,
  invitation_invalid: 400,
  email_taken: 400,
  password_too_short: 400,
  password_too_common: 400,
  reply_empty: 400,
  reply_too_long: 400,
  rate_limited: 429,
  signin_throttled: 429,
  bad_origin: 403,
  suspended: 403,
  thread_locked: 403,
  slow_mode: 429,
  already_flagged: 409,
  title_required: 400,
  mention_unknown: 400,
  mention_not_allowed: 400,
  link_not_allowed: 400,
  reply_invalid: 400,
  case_study_empty: 400,
  case_study_too_long: 400,
  case_study_invalid: 400,
  image_not_allowed: 400,
  region_required: 400,
  topic_in_use: 409,
  topic_exists: 409,
  upload_missing: 400,
  upload_too_large: 413,
  upload_not_image: 400,
  upload_type_mismatch: 400,
  member_unknown: 400,
  note_owner: 409,
  note_member_exists: 409,
  update_too_large: 413,
  command_unknown: 404,
  body_malformed: 400,
  method_not_allowed: 405,
  version_name_required: 400,
  version_name_too_long: 400,
  version_unavailable: 409,
  version_unchanged: 409,
  translation_same_language: 400,
  translation_self: 400,
  translation_unchanged: 400,
  translation_original_language: 400,
  translation_empty: 400,
  translation_too_long: 400,
  translation_human_exists: 409,
  machine_translation_off: 404,
  machine_translation_not_allowed: 403,
  machine_translation_failed: 502,
  machine_translation_timeout: 504,
  confirmation_required: 400,
  edit_conflict: 409,
  both_languages_required: 400,
  outcome_reviewed: 409,
  body_too_large: 413,
  translation_taken: 409,
  comment_empty: 400,
  comment_too_long: 400,
  anchor_invalid: 400,
  account_deactivated: 403,
  last_admin: 409,
  invitation_not_open: 409,
  password_incorrect: 400,
  password_same: 400,
  endorse_own: 403,
  // The database is too busy right now (app/utils/overload.server.ts): retry after `Retry-After`.
  overloaded: 503,
  // A service the request needs (Redis, for live updates) is away; the client retries.
  unavailable: 503,
  // A note update that depends on changes the server never got: the client is asked to resync.
  update_incomplete: 409,
  email_invalid: 400,
  email_same: 400,
  email_throttled: 429,
  email_change_invalid: 400,
  email_not_retryable: 409,
  reset_token_invalid: 400,
  time_zone_invalid: 400,
  participation_decided: 409,
  participation_full: 409,
  participation_not_yours: 403,
  capacity_below_participants: 409,
  note_unknown: 400,
  survey_incomplete: 400,
  survey_no_questions: 400,
  survey_locked: 409,
  survey_closed: 409,
  survey_answered: 409,
  survey_dates_invalid: 400,
  survey_audience_invalid: 400,
  options_required: 400,
  answer_required: 400,
  answer_invalid: 400,
  answer_out_of_range: 400,
  answer_too_long: 400,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string = code,
    readonly field?: string,
    /** Values for the translated message, e.g. `{ seconds: 30 }` or `{ until: "…" }`. */
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = "AppError";
    this.status = statusByCode[code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
