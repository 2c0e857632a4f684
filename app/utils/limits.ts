/** Limits shared by the forms (browser) and the models (server). */

/** Longest reply, in characters (UTF-16 code units), issue #2. */
export const REPLY_MAX_LENGTH = 20_000;
