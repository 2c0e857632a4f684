/**
 * The site's address and its proxies, read once at start-up (docs/decisions/016-public-url-and-proxies.md).
 *
 * - `PUBLIC_URL` (e.g. https://coal-regions.example.org) is where every absolute URL the app
 *   writes comes from: canonical and `og:url` tags, hreflang alternates, invitation and
 *   first-admin links, later email links; never the request's Host header, which a client or a
 *   misconfigured proxy controls (host header injection, OWASP WSTG-INPV-17). In production it
 *   is required, except for the embedded database's local trial (`npm start` on a fresh clone),
 *   where the site is http://localhost:<port>. A port of 0 in `PUBLIC_URL` means "the port the
 *   server bound", for tests and local runs that bind PORT=0.
 * - `TRUST_PROXY` is the number of reverse proxies in front of the app. Exactly that many hops
 *   of X-Forwarded-For / X-Forwarded-Proto are believed, counted from the right (the values the
 *   proxies themselves appended); anything further left was written by the client.
 */
import type { IncomingHttpHeaders } from "node:http";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** At most this many proxies; more is a typo. */
const MAX_PROXY_HOPS = 10;

/**
 * @param value TRUST_PROXY: unset or "" (no proxy), or a whole number of hops
 * @throws ConfigError for "true", "yes", a negative or fractional number, or more than 10 hops
 */
export function parseTrustProxy(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 0;
  const text = value.trim();
  if (!/^\d+$/.test(text) || Number(text) > MAX_PROXY_HOPS) {
    throw new ConfigError(
      `TRUST_PROXY must be the number of reverse proxies in front of the app (0–${MAX_PROXY_HOPS}, e.g. TRUST_PROXY=1 behind one load balancer), not "${text}": trusting every hop would let any client choose its own address and scheme.`,
    );
  }
  return Number(text);
}

/**
 * A validated PUBLIC_URL: an http(s) origin with no path, query or fragment.
 * @returns the origin without a trailing slash (port 0 kept for `resolvePublicUrl`), or null when unset
 * @throws ConfigError when it is not such a URL
 */
export function parsePublicUrl(value: string | undefined): URL | null {
  if (value === undefined || value.trim() === "") return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(`PUBLIC_URL must be the site's address, such as https://coal-regions.example.org, not "${value}".`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password || url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) {
    throw new ConfigError(`PUBLIC_URL must be an http(s) address with no path, query or user (e.g. https://coal-regions.example.org), not "${value}".`);
  }
  return url;
}

export interface PublicUrlContext {
  production: boolean;
  /** The server started its own PostgreSQL: a local trial on this machine. */
  embeddedDatabase: boolean;
}

/**
 * Checks, before anything starts, that the site's address can be known.
 * @throws ConfigError in production with an external database and no PUBLIC_URL
 */
export function checkPublicUrl(value: string | undefined, context: PublicUrlContext): URL | null {
  const url = parsePublicUrl(value);
  if (!url && context.production && !context.embeddedDatabase) {
    throw new ConfigError(
      "PUBLIC_URL is not set. In production the site's address must be configured (e.g. PUBLIC_URL=https://coal-regions.example.org): links, canonical URLs and emails are built from it, never from the request's Host header.",
    );
  }
  return url;
}

/**
 * The site's origin once the server is listening: PUBLIC_URL (its port 0 replaced by the bound
 * port), or http://localhost:<port> when PUBLIC_URL is unset (development, or the embedded
 * database's local trial).
 */
export function resolvePublicUrl(url: URL | null, boundPort: number): string {
  if (!url) return `http://localhost:${boundPort}`;
  const copy = new URL(url.href);
  if (copy.port === "0") copy.port = String(boundPort);
  return copy.origin;
}

/** The value of a header that may be repeated or comma-separated, as a list (left to right). */
function headerList(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(",") : value ?? "";
  return joined
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

/**
 * Whether the request reached the outermost trusted proxy over HTTPS: the X-Forwarded-Proto
 * value `hops` places from the right (a proxy that overwrites the header leaves one value; one
 * that appends leaves the client's own values to the left, which are not believed). With no
 * proxy, only a TLS socket is secure. Used by HTTP and the Socket.IO handshake alike.
 */
export function isSecureRequest(headers: IncomingHttpHeaders, encrypted: boolean, hops: number): boolean {
  if (hops <= 0) return encrypted;
  const values = headerList(headers["x-forwarded-proto"]);
  if (values.length === 0) return encrypted;
  const value = values[Math.max(0, values.length - hops)];
  return value.toLowerCase() === "https";
}

/** Email settings read at start-up (README, "Email"; docs/decisions/020-email-outbox-and-queue.md). */
export interface EmailConfig {
  /** SMTP_URL (`smtp://user:pass@host:587`, `smtps://…:465`), or null: emails stay in the outbox. */
  smtpUrl: string | null;
  /** MAIL_FROM, e.g. `Coal Regions Network <network@example.org>`; null → no-reply@<site host>. */
  from: string | null;
  /** EMAIL_DELAY_SECONDS: how long a notification waits, unread, before it is emailed (600). */
  delaySeconds: number;
  /** INBOUND_SMTP_PORT: the port of the reply-by-email SMTP server, or null (off). */
  inboundPort: number | null;
  /** INBOUND_SMTP_HOST: the address it binds (default: HOST, or every interface). */
  inboundHost: string | undefined;
  /** INBOUND_EMAIL_DOMAIN: the domain of `reply+<token>@<domain>` (default: PUBLIC_URL's host). */
  inboundDomain: string | null;
}

function wholeNumber(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const text = value.trim();
  if (!/^\d+$/.test(text) || Number(text) > max) throw new ConfigError(`${name} must be a whole number from 0 to ${max}, not "${text}".`);
  return Number(text);
}

/**
 * Reads the email settings. With SMTP_URL set the site's address must be known from PUBLIC_URL:
 * every link in an email is absolute, and a guess (localhost) would send members links that
 * lead nowhere.
 * @throws ConfigError for an SMTP_URL that is not smtp(s)://, SMTP_URL without PUBLIC_URL, a
 *   bad number, or a MAIL_FROM without an address
 */
export function parseEmailConfig(env: NodeJS.ProcessEnv, publicUrl: URL | null): EmailConfig {
  const smtp = env.SMTP_URL?.trim() || null;
  if (smtp) {
    let url: URL;
    try {
      url = new URL(smtp);
    } catch {
      throw new ConfigError(`SMTP_URL must be an SMTP server's address such as smtp://user:password@mail.example.org:587 or smtps://…:465, not "${smtp.replace(/\/\/[^@/]*@/, "//…@")}".`);
    }
    if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
      throw new ConfigError(`SMTP_URL must start with smtp:// or smtps://, not "${url.protocol}//".`);
    }
    if (!publicUrl) {
      throw new ConfigError(
        "SMTP_URL is set but PUBLIC_URL is not. Every link in an email is absolute, so the site's address must be configured (e.g. PUBLIC_URL=https://coal-regions.example.org).",
      );
    }
  }
  const from = env.MAIL_FROM?.trim() || null;
  if (from && !/^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>$/.test(from)) {
    throw new ConfigError(`MAIL_FROM must be an address ("network@example.org" or "Coal Regions Network <network@example.org>"), not "${from}".`);
  }
  const inboundPortText = env.INBOUND_SMTP_PORT?.trim();
  const inboundPort = inboundPortText ? wholeNumber("INBOUND_SMTP_PORT", inboundPortText, 0, 65535) : null;
  const inboundDomain = env.INBOUND_EMAIL_DOMAIN?.trim().toLowerCase() || (publicUrl ? publicUrl.hostname : null);
  if (inboundDomain && !/^[a-z0-9.-]+$/.test(inboundDomain)) throw new ConfigError(`INBOUND_EMAIL_DOMAIN must be a domain name, not "${inboundDomain}".`);
  return {
    smtpUrl: smtp,
    from,
    delaySeconds: wholeNumber("EMAIL_DELAY_SECONDS", env.EMAIL_DELAY_SECONDS, 600, 7 * 24 * 60 * 60),
    inboundPort,
    inboundHost: env.INBOUND_SMTP_HOST?.trim() || env.HOST || undefined,
    inboundDomain: inboundDomain ?? "localhost",
  };
}
