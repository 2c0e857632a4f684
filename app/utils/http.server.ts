/**
 * Turning domain errors into HTTP answers, one way for every route:
 * - loaders: `unauthenticated` → redirect to sign-in, `forbidden` → 403, `not_found` → 404,
 *   a database too busy → 503 with Retry-After (app/utils/overload.server.ts);
 * - actions: field errors as `{ errors: { <field>: [code] } }` with the error's 4xx status,
 *   which the form shows translated.
 */
import { data, redirect } from "@remix-run/node";
import { ZodError } from "zod";
import { isAppError } from "./errors";
import { isOverload, overloaded, RETRY_AFTER_SECONDS } from "./overload.server";

export type FieldErrors = Record<string, string[] | null | undefined>;

/** Runs a model call for a loader, mapping domain errors to responses. */
export async function loadOrThrow<T>(request: Request, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isOverload(error)) {
      const refusal = overloaded(error, { channel: "http", path: new URL(request.url).pathname });
      throw new Response(refusal.code, { status: refusal.status, headers: { "Retry-After": String(RETRY_AFTER_SECONDS) } });
    }
    if (isAppError(error)) {
      if (error.code === "unauthenticated") {
        const url = new URL(request.url);
        throw redirect(`/signin?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`);
      }
      throw new Response(error.code, { status: error.status });
    }
    throw error;
  }
}

/** Maps an error thrown by a model function in an action to a 4xx data response, or rethrows. */
export function actionError(error: unknown) {
  if (isAppError(error)) {
    return data({ errors: { [error.field ?? ""]: [error.code] } as FieldErrors }, { status: error.status });
  }
  if (error instanceof ZodError) {
    const errors: FieldErrors = {};
    for (const issue of error.issues) {
      const key = issue.path.join(".");
      errors[key] = [...(errors[key] ?? []), issue.message];
    }
    return data({ errors }, { status: 400 });
  }
  throw error;
}

/** 400 with the submission's field errors (conform's `submission.error`). */
export function invalidForm(errors: FieldErrors | null | undefined) {
  return data({ errors: errors ?? { "": ["validation"] } }, { status: 400 });
}
