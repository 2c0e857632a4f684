/**
 * Case studies through the JSON command API (`POST /api/commands/<name>`), as the browser's
 * scripts call it, with the site's own Origin.
 */
import type { PrismaClient } from "@prisma/client";
import { expect } from "vitest";

export interface CommandResponse<T = unknown> {
  status: number;
  ok: boolean;
  result: T;
  error?: { code: string; message: string; field: string };
}

/** Runs a named command as the member with this Cookie header (or signed out). */
export async function command<T = Record<string, unknown>>(
  baseUrl: string,
  name: string,
  input: unknown,
  cookie?: string,
  lang = "en",
): Promise<CommandResponse<T>> {
  const response = await fetch(new URL(`/api/commands/${name}`, baseUrl), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: new URL(baseUrl).origin,
      "accept-language": lang,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify(input),
    redirect: "manual",
  });
  const body = (await response.json()) as { ok: boolean; result: T; error?: CommandResponse["error"] };
  return { status: response.status, ok: body.ok, result: body.result, error: body.error };
}

/** Runs a command that must succeed and returns its result. */
export async function ok<T = Record<string, unknown>>(baseUrl: string, name: string, input: unknown, cookie: string): Promise<T> {
  const response = await command<T>(baseUrl, name, input, cookie);
  expect(response.status, `${name} failed: ${JSON.stringify(response.error)}`).toBe(200);
  return response.result;
}

/** Region and topic ids by slug. */
export async function ids(db: PrismaClient, regions: string[], topics: string[]) {
  const [r, t] = await Promise.all([
    db.region.findMany({ where: { slug: { in: regions } } }),
    db.topic.findMany({ where: { slug: { in: topics } } }),
  ]);
  expect(r.length).toBe(regions.length);
  expect(t.length).toBe(topics.length);
  return { regionIds: r.map((x) => x.id), topicIds: t.map((x) => x.id) };
}

export interface NewStudy {
  language?: "en" | "zh";
  title: string;
  summary?: string;
  body?: string;
  content?: unknown;
  regions?: string[];
  topics?: string[];
  isPublic?: boolean;
  publish?: boolean;
}

/** Creates a case study (and publishes it unless `publish: false`); returns its id. */
export async function createStudy(baseUrl: string, db: PrismaClient, cookie: string, study: NewStudy): Promise<string> {
  const { regionIds, topicIds } = await ids(db, study.regions ?? ["shanxi"], study.topics ?? []);
  const { caseStudyId } = await ok<{ caseStudyId: string }>(
    baseUrl,
    "caseStudy.create",
    {
      language: study.language ?? "en",
      title: study.title,
      summary: study.summary ?? "",
      ...(study.content ? { content: study.content } : { body: study.body ?? `Body of ${study.title}` }),
      regionIds,
      topicIds,
      isPublic: study.isPublic ?? false,
    },
    cookie,
  );
  if (study.publish !== false) await ok(baseUrl, "caseStudy.publish", { caseStudyId, published: true }, cookie);
  return caseStudyId;
}
