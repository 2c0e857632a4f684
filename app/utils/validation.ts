/**
 * Zod's messages become stable error codes that the UI translates (`errors.<code>`), so one
 * schema serves English and Chinese readers alike. A schema's own message (e.g.
 * "reply_too_long") wins over these defaults.
 */
import { z } from "zod";

z.config({
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

export { z };
