import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { resolveLocale } from "./i18n/i18n.server";
import { getActor } from "./http/auth.server";
import { unreadNotificationCount } from "./models/notifications.server";
import { translationQueueCount } from "./models/translations/queue.server";
import { useNotificationBadge } from "./realtime/hooks";
import type { Lang } from "./i18n/config";
import { useNonce } from "./utils/nonce";
import { pageTitle } from "./utils/page-title";
import stylesHref from "./styles/app.css?url";
import { replyEditorLinks } from "./editor/ReplyEditor";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  ...replyEditorLinks,
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/** Pages set their own titles; an error page gets the error's, in the reader's language. */
export const meta: MetaFunction<typeof loader> = ({ error, matches }) => {
  if (!error) return [];
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return pageTitle(matches, ERROR_TITLES[status] ?? "errors.unexpectedTitle");
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request, context);
  const user = context.auth?.user ?? null;
  // The unread count is read with the session on a GET (server/app.ts); counted here otherwise.
  const [unreadNotifications, translationQueue]: [number, number | null] = user
    ? await Promise.all([context.auth?.unreadNotifications ?? unreadNotificationCount(user.id), translationQueueCount(getActor(context), user.languages)])
    : [0, null];
  return {
    locale,
    user: user ? { id: user.id, displayName: user.displayName, role: user.role, timeZone: user.timeZone } : null,
    unreadNotifications,
    /** Items waiting in /translations, for members whose profile lists both languages (else null). */
    translationQueue,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

/** The root loader's data, for any route component. */
export function useRootData(): RootData {
  return useRouteLoaderData<typeof loader>("root") ?? { locale: "en", user: null, unreadNotifications: 0, translationQueue: null };
}

function LanguageSwitch({ locale }: { locale: Lang }) {
  const { t } = useTranslation();
  const location = useLocation();
  const target: Lang = locale === "en" ? "zh" : "en";
  return (
    <Form method="post" action="/locale" className="lang-switch" reloadDocument>
      <input type="hidden" name="locale" value={target} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button type="submit" lang={target} aria-label={t("nav.switchLanguage")} data-testid="language-switch">
        {target === "zh" ? "中文" : "English"}
      </button>
    </Form>
  );
}

function NotificationBell({ initial }: { initial: number }) {
  const { t } = useTranslation();
  const count = useNotificationBadge(initial, true);
  return (
    <NavLink to="/notifications" className="bell" aria-label={t("notifications.badge", { count })} data-testid="notification-bell">
      <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.73 21a2 2 0 0 1-3.46 0" />
      </svg>
      {count > 0 ? <span className="bell-count" data-testid="notification-count">{count}</span> : null}
    </NavLink>
  );
}

/** "Translations", with how many items wait for members who read both languages ("99+" past 99). */
function TranslationsLink({ count }: { count: number | null }) {
  const { t } = useTranslation();
  const shown = !count ? null : count > 99 ? "99+" : String(count);
  return (
    <NavLink to="/translations" data-testid="nav-translations" aria-label={shown ? t("translations.navCount", { count: count ?? 0, shown }) : undefined}>
      {t("translations.nav")}
      {shown ? <span className="nav-count" data-testid="translation-count">{shown}</span> : null}
    </NavLink>
  );
}

/** The header's search box: a plain GET form, so it works without JavaScript. */
function HeaderSearch() {
  const { t } = useTranslation();
  const location = useLocation();
  const current = location.pathname === "/search" ? new URLSearchParams(location.search).get("q") ?? "" : "";
  return (
    <Form method="get" action="/search" role="search" className="header-search" data-testid="header-search">
      <label htmlFor="header-search-q" className="visually-hidden">{t("search.label")}</label>
      <input id="header-search-q" type="search" name="q" defaultValue={current} key={current} placeholder={t("search.placeholder")} maxLength={200} autoComplete="off" />
      <button type="submit" aria-label={t("search.submit")}>
        <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round">
          <circle cx="11" cy="11" r="7" />
          <path d="m20 20-3.5-3.5" />
        </svg>
      </button>
    </Form>
  );
}

/**
 * The site header. On a phone it is one row (brand, language, notifications, "Menu"); the menu
 * (a `<details>`, so it opens without JavaScript) holds the navigation, search and account
 * links. On wider screens the menu's content is always shown inline and its summary hidden.
 */
function Header() {
  const { t } = useTranslation();
  const { user, locale, unreadNotifications, translationQueue } = useRootData();
  const staff = user && (user.role === "moderator" || user.role === "admin");
  const menuRef = useRef<HTMLDetailsElement>(null);
  const location = useLocation();
  // A link followed from the open menu closes it.
  useEffect(() => {
    if (menuRef.current) menuRef.current.open = false;
  }, [location.pathname, location.search]);
  return (
    <header className="site-header">
      <div className="container header-inner">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">◆</span>
          <span>{t("site.name")}</span>
        </Link>
        <div className="header-quick">
          <LanguageSwitch locale={locale} />
          {user ? <NotificationBell initial={unreadNotifications} /> : <NavLink to="/signin" className="button button-small">{t("nav.signIn")}</NavLink>}
        </div>
        <details className="site-menu" ref={menuRef} data-testid="site-menu">
          <summary className="site-menu-toggle">
            <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round">
              <path d="M4 6h16M4 12h16M4 18h16" />
            </svg>
            <span>{t("nav.menu")}</span>
          </summary>
          <nav aria-label={t("nav.main")} className="main-nav">
            <NavLink to="/" end>{t("nav.programme")}</NavLink>
            <NavLink to="/regions">{t("nav.regions")}</NavLink>
            <NavLink to="/case-studies">{t("nav.caseStudies")}</NavLink>
            <NavLink to="/outcomes">{t("nav.outcomes")}</NavLink>
            {user ? <NavLink to="/network">{t("nav.network")}</NavLink> : null}
            {user ? <NavLink to="/latest">{t("nav.latest")}</NavLink> : null}
            {user ? <NavLink to="/members">{t("nav.members")}</NavLink> : null}
            {user ? <NavLink to="/notes">{t("nav.notes")}</NavLink> : null}
            {user ? <NavLink to="/surveys">{t("nav.surveys")}</NavLink> : null}
            {user ? <TranslationsLink count={translationQueue} /> : null}
            {staff ? <NavLink to="/moderation/review">{t("nav.review")}</NavLink> : null}
            {staff ? <NavLink to="/moderation/requests">{t("nav.requests")}</NavLink> : null}
            {user?.role === "moderator" ? <NavLink to="/moderation/log">{t("nav.staffLog")}</NavLink> : null}
            {user?.role === "admin" ? <NavLink to="/admin" data-testid="nav-admin">{t("nav.admin")}</NavLink> : null}
          </nav>
          <div className="header-actions">
            <HeaderSearch />
            {user ? (
              <>
                <NavLink to="/settings" className="user-link" data-testid="current-user">{user.displayName}</NavLink>
                <Form method="post" action="/signout">
                  <button type="submit" className="link-button">{t("nav.signOut")}</button>
                </Form>
              </>
            ) : null}
          </div>
        </details>
      </div>
    </header>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  // The language i18next renders in: on the server the request's, even for an error page whose
  // root loader did not run; the client starts from <html lang>, so both render alike.
  const { i18n } = useTranslation();
  const locale = i18n.language === "zh" ? "zh" : "en";
  const nonce = useNonce();
  return (
    <html lang={locale === "zh" ? "zh-CN" : "en"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { locale } = useRootData();
  const { i18n } = useTranslation();
  // Keep i18next in step with the server's choice after a client-side navigation.
  useEffect(() => {
    if (i18n.language !== locale) void i18n.changeLanguage(locale);
  }, [i18n, locale]);
  return (
    <Page>
      <Outlet />
    </Page>
  );
}

/** Header, main and footer around a page's content: every page, error pages too. */
function Page({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <Header />
      <main className="container main" id="main">
        {children}
      </main>
      <footer className="site-footer">
        <div className="container">{t("site.footer")}</div>
      </footer>
    </>
  );
}

const ERROR_TITLES: Record<number, string> = { 403: "errors.forbiddenTitle", 404: "errors.notFoundTitle", 503: "errors.overloadedTitle" };

/**
 * Every error page: inside the site's header and footer, in the reader's language (the i18next
 * instance the server rendered with), with a title, what happened and ways on.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = status === 404 ? "errors.not_found" : status === 403 ? "errors.forbidden" : status === 503 ? "errors.overloaded" : "errors.unexpected";
  const title = t(ERROR_TITLES[status] ?? "errors.unexpectedTitle");
  return (
    <Page>
      <div className="card error-page" data-testid="error-page" data-status={status}>
        <p className="error-status" aria-hidden="true">{status}</p>
        <h1>{title}</h1>
        <p>{t(message)}</p>
        <ul className="error-links">
          <li><Link to="/">{t("nav.backHome")}</Link></li>
          <li><Link to="/search">{t("errors.trySearch")}</Link></li>
        </ul>
      </div>
    </Page>
  );
}
