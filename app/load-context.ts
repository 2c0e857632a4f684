/** What `server/app.ts` hands every loader and action (typed for Remix). */
import type { RequestAuth } from "./http/auth.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    auth: RequestAuth | null;
    /** Per-request CSP nonce for Remix's inline scripts. */
    nonce: string;
    /** True when the request came over HTTPS (Secure + __Host- cookie). */
    secure: boolean;
    clientIp: string;
    userAgent: string;
  }
}

export {};
