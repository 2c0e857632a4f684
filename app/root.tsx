import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
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
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { resolveLocale } from "./i18n/i18n.server";
import type { Lang } from "./i18n/config";
import { useNonce } from "./utils/nonce";
import stylesHref from "./styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesHref },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = await resolveLocale(request, context);
  const user = context.auth?.user ?? null;
  return {
    locale,
    user: user ? { id: user.id, displayName: user.displayName, role: user.role } : null,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

/** The root loader's data, for any route component. */
export function useRootData(): RootData {
  return useRouteLoaderData<typeof loader>("root") ?? { locale: "en", user: null };
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

function Header() {
  const { t } = useTranslation();
  const { user, locale } = useRootData();
  return (
    <header className="site-header">
      <div className="container header-inner">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">◆</span>
          <span>{t("site.name")}</span>
        </Link>
        <nav aria-label={t("nav.main")} className="main-nav">
          <NavLink to="/" end>{t("nav.programme")}</NavLink>
          <NavLink to="/regions">{t("nav.regions")}</NavLink>
          {user && (user.role === "moderator" || user.role === "admin") ? (
            <NavLink to="/moderation/requests">{t("nav.requests")}</NavLink>
          ) : null}
          {user?.role === "admin" ? <NavLink to="/admin/invitations">{t("nav.invitations")}</NavLink> : null}
        </nav>
        <div className="header-actions">
          <LanguageSwitch locale={locale} />
          {user ? (
            <>
              <NavLink to="/settings" className="user-link" data-testid="current-user">{user.displayName}</NavLink>
              <Form method="post" action="/signout">
                <button type="submit" className="link-button">{t("nav.signOut")}</button>
              </Form>
            </>
          ) : (
            <NavLink to="/signin" className="button button-small">{t("nav.signIn")}</NavLink>
          )}
        </div>
      </div>
    </header>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale = data?.locale ?? "en";
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
  const { i18n, t } = useTranslation();
  // Keep i18next in step with the server's choice after a client-side navigation.
  useEffect(() => {
    if (i18n.language !== locale) void i18n.changeLanguage(locale);
  }, [i18n, locale]);
  return (
    <>
      <Header />
      <main className="container main">
        <Outlet />
      </main>
      <footer className="site-footer">
        <div className="container">{t("site.footer")}</div>
      </footer>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = status === 404 ? "errors.not_found" : status === 403 ? "errors.forbidden" : "errors.unexpected";
  return (
    <main className="container main">
      <div className="card error-page">
        <h1>{status}</h1>
        <p>{t(key)}</p>
        <p><Link to="/">{t("nav.backHome")}</Link></p>
      </div>
    </main>
  );
}
