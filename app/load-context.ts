/** What `server/app.ts` hands every loader and action (typed for Remix). */
import type { RequestAuth } from "./http/auth.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    auth: RequestAuth | null;
    /** Per-request CSP nonce for Remix's inline scripts. */
    nonce: string;
    /** True when the request came over HTTPS (Secure + __Host- cookie). */
    secure: boolean;
    /** The client's address: the socket's, or the one TRUST_PROXY hops back in X-Forwarded-For. */
    clientIp: string;
    userAgent: string;
    /**
     * The site's origin from PUBLIC_URL (e.g. https://coal-regions.example.org), for every absolute
     * URL the app writes; never derived from the request's Host header.
     */
    publicUrl: string;
  }
}

export {};
