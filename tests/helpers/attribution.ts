/**
 * "A name a viewer may not see is never in any payload sent to them" (issue 14): one collector of
 * everything a member meets about a thread — its pages, the dialogue's, the feed, notifications,
 * search, the translation queue, a reply's history, their own data export, command results, socket events and emails —
 * so a new output is covered by adding it here once.
 */
import { expect } from "vitest";
import type { ReceivedMail } from "./mail";
import { get } from "./http";
import type { SignedIn } from "./auth";

export interface Output {
  where: string;
  body: string;
}

export interface CollectArgs {
  baseUrl: string;
  viewer: SignedIn;
  threadId: string;
  dialogueSlug: string;
  /** Words to search for (each found result page is collected). */
  searchWords: string[];
  replyIds: string[];
  /** Command results and socket payloads gathered by the test. */
  results?: { where: string; value: unknown }[];
  mails?: ReceivedMail[];
}

/** Fetches every page and document the viewer can reach about the thread. */
export async function collectOutputs(args: CollectArgs): Promise<Output[]> {
  const { baseUrl, viewer } = args;
  const paths = [
    `/threads/${args.threadId}`,
    `/threads/${args.threadId}?last=1`,
    `/threads/${args.threadId}?after=0`,
    `/dialogues/${args.dialogueSlug}`,
    "/latest",
    "/translations",
    "/notifications",
    "/network",
    "/settings/data.json",
    ...args.searchWords.map((w) => `/search?q=${encodeURIComponent(w)}`),
    ...args.replyIds.map((id) => `/replies/${id}/history`),
  ];
  const outputs: Output[] = [];
  for (const path of paths) {
    const response = await get(baseUrl, path, { cookie: viewer.cookie });
    outputs.push({ where: `GET ${path} (${response.status})`, body: response.body });
  }
  for (const result of args.results ?? []) outputs.push({ where: result.where, body: JSON.stringify(result.value) });
  for (const mail of args.mails ?? []) outputs.push({ where: `email "${mail.subject}"`, body: `${mail.subject}\n${mail.text}\n${mail.html}` });
  return outputs;
}

/** Fails naming the output when any of `secrets` (a name, an id, an organisation) appears in one. */
export function expectNowhere(outputs: Output[], secrets: string[]): void {
  for (const output of outputs) {
    for (const secret of secrets) {
      expect(output.body.includes(secret), `${output.where} reveals "${secret}"`).toBe(false);
    }
  }
}
