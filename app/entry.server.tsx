/**
 * Server rendering: streams the app with the request's language (same choice as the root
 * loader) and the CSP nonce on Remix's inline scripts.
 */
import { Transform } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { createInstance } from "i18next";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { renderToPipeableStream } from "react-dom/server";
import { i18nConfig, resources } from "./i18n/config";
import { resolveLocale } from "./i18n/i18n.server";
import { memoisePlainLookups } from "./i18n/plain-lookups.server";
import { NonceProvider } from "./utils/nonce";
import { isOverload, logOverload, RETRY_AFTER_SECONDS } from "./utils/overload.server";

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

/**
 * React 18.3's Node renderer fills 2,048-byte buffers and, when a multi-byte character (any
 * Chinese one) does not fit at the end of a buffer, flushes the whole buffer with its unwritten
 * tail: up to three NUL bytes land in the HTML (reported as facebook/react#27554 and #31134
 * against 18.2/18.3; React 19's renderer does not pad). HTML never legitimately contains NUL,
 * so trailing NULs of such a buffer are dropped.
 */
const REACT_VIEW_SIZE = 2048;
/**
 * Also gathers React's 2 KB pieces into one chunk per turn of the event loop: a 90 KB page used
 * to travel as ~45 chunks through the web stream and as many socket writes, which cost more CPU
 * than rendering it (bench/thread-page.ts, profiled with --cpu-prof). What React writes in one
 * go (the shell) leaves in one write; a later Suspense boundary still streams when it resolves.
 */
function stripReactNulPadding() {
  let pending: Buffer[] = [];
  let scheduled = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      let end = chunk.length;
      if (end === REACT_VIEW_SIZE) while (end > 0 && chunk[end - 1] === 0) end--;
      pending.push(end === chunk.length ? chunk : chunk.subarray(0, end));
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          if (pending.length) this.push(Buffer.concat(pending));
          pending = [];
        });
      }
      callback();
    },
    flush(callback) {
      callback(null, pending.length ? Buffer.concat(pending) : undefined);
      pending = [];
    },
  });
}

/**
 * One i18next instance per language, made once: the resources are bundled and never change
 * while the process runs, and nothing on the server switches an instance's language, so
 * initialising a fresh instance for every page (as the remix-i18next example does) was pure cost.
 */
const instances = new Map<string, ReturnType<typeof makeInstance>>();
async function makeInstance(lng: string) {
  const i18n = createInstance();
  await i18n.use(initReactI18next).init({ ...i18nConfig, resources, lng });
  memoisePlainLookups(i18n);
  return i18n;
}

function i18nFor(lng: string) {
  let instance = instances.get(lng);
  if (!instance) instances.set(lng, (instance = makeInstance(lng)));
  return instance;
}

/** Requests refused because the database was too busy: answered 503 with Retry-After, not 500. */
const overloadedRequests = new WeakSet<Request>();

/**
 * Unexpected errors are logged; "not found" and aborted requests are not errors. A database
 * too busy to answer (app/utils/overload.server.ts) is one structured line, no stack trace.
 */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  if (isOverload(error)) {
    overloadedRequests.add(request);
    logOverload(error, { channel: "http", path: new URL(request.url).pathname });
    return;
  }
  console.error(error);
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  if (overloadedRequests.has(request)) {
    responseStatusCode = 503;
    responseHeaders.set("Retry-After", String(RETRY_AFTER_SECONDS));
  }
  const lng = await resolveLocale(request, loadContext);
  const i18n = await i18nFor(lng);
  const nonce = loadContext?.nonce;
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    let shellRendered = false;
    let abortTimer: NodeJS.Timeout | undefined;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <I18nextProvider i18n={i18n}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </I18nextProvider>
      </NonceProvider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = stripReactNulPadding();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }),
          );
          // Once the page has left (or its reader has gone) there is nothing left to wait for:
          // the timer is cleared, since pending it kept the whole render (React's request, the
          // loader data) alive for six seconds after each page, and an unfinished render is
          // aborted at once (a no-op for a finished one).
          body.on("close", () => {
            clearTimeout(abortTimer);
            abort();
          });
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    abortTimer = setTimeout(abort, ABORT_DELAY + 1000);
  });
}
