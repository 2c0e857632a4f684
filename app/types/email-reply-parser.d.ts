/** email-reply-parser 2.1 ships no types; the part the reply-by-email parser uses. */
declare module "email-reply-parser" {
  export default class EmailReplyParser {
    /** The visible (new) text of an email body: quoted history and signature removed. */
    parseReply(text: string): string;
  }
}
