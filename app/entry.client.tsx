/**
 * Hydration: i18next starts in the language the server rendered (read from <html lang>), so
 * the first client render matches the server's.
 */
import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nConfig, isLang, resources } from "./i18n/config";

async function hydrate() {
  const htmlLang = document.documentElement.lang === "zh-CN" ? "zh" : document.documentElement.lang;
  await i18next.use(initReactI18next).init({ ...i18nConfig, resources, lng: isLang(htmlLang) ? htmlLang : "en" });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

void hydrate();
