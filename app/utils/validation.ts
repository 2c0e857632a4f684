/**
 * Zod's messages become stable error codes that the UI translates (`errors.<code>`), so one
 * schema serves English and Chinese readers alike. A schema's own message (e.g.
 * "reply_too_long") wins over these defaults.
 */
import { z as zod } from "zod";

zod.config({
  customError: (issue) => {
    switch (issue.code) {
      case "too_small":
        return issue.origin === "string" && issue.minimum === 1 ? "required" : "too_short";
      case "too_big":
        return "too_long";
      case "invalid_format":
        return issue.format === "email" ? "invalid_email" : "invalid";
      case "invalid_type":
        return issue.input === undefined || issue.input === null ? "required" : "invalid";
      default:
        return "invalid";
    }
  },
});

/**
 * Control characters other than tab, line feed and carriage return (C0 U+0000–U+001F, DEL and
 * C1 U+0080–U+009F: NUL cannot be stored in PostgreSQL text at all, the others are invisible or
 * show as boxes) and the Unicode bidirectional embedding, override and isolate controls
 * (U+202A–U+202E, U+2066–U+2069), which can make a name or title display as different text
 * ("Trojan Source", CVE-2021-42574). Neither English nor Chinese text needs them.
 */
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$/;

/**
 * A surrogate without its pair is no character at all (ill-formed UTF-16, Unicode §3.9): it
 * cannot be encoded as UTF-8, and PostgreSQL, JSON and Prisma refuse it (a 500 otherwise).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Our `z`: zod, except that every string refuses NO_CONTROL_CHARACTERS' characters and lone
 * surrogates (they would otherwise reach the database as a 500, or spoof text). Import `z` from
 * here, not from "zod".
 */
export const z: typeof zod = {
  ...zod,
  string: ((params?: Parameters<typeof zod.string>[0]) =>
    zod
      .string(params)
      .regex(NO_CONTROL_CHARACTERS, { message: "invalid_characters" })
      .refine((value) => !LONE_SURROGATE.test(value), { message: "invalid_characters" })) as typeof zod.string,
};

/** The type helpers (`z.input<…>`, `z.output<…>`, `z.infer<…>`) beside the value. */
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace z {
  type input<T extends zod.ZodType> = zod.input<T>;
  type output<T extends zod.ZodType> = zod.output<T>;
  type infer<T extends zod.ZodType> = zod.infer<T>;
}
