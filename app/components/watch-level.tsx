/**
 * The watching level picker (Discourse's four levels). A plain form: with JavaScript it submits
 * on change; without, a button submits it.
 */
import { useFetcher } from "@remix-run/react";
import { useTranslation } from "react-i18next";

const LEVELS = ["watching", "tracking", "normal", "muted"] as const;

export function WatchLevelForm({ level, intent, categoryKey }: { level: string; intent: "thread.watch" | "category.watch"; categoryKey?: string }) {
  const { t } = useTranslation();
  const fetcher = useFetcher();
  const current = (fetcher.formData?.get("level") as string | null) ?? level;
  return (
    <fetcher.Form method="post" className="watch-form" data-testid="watch-form">
      <input type="hidden" name="intent" value={intent} />
      {categoryKey ? <input type="hidden" name="categoryKey" value={categoryKey} /> : null}
      <label>
        <span className="muted">{t("watch.label")}</span>{" "}
        <select name="level" value={current} onChange={(e) => fetcher.submit(e.currentTarget.form)} data-testid="watch-level">
          {LEVELS.map((l) => (
            <option key={l} value={l}>{t(`watch.levels.${l}`)}</option>
          ))}
        </select>
      </label>
      <noscript>
        <button type="submit" className="button button-small button-secondary">{t("common.save")}</button>
      </noscript>
      <span className="muted watch-help">{t(`watch.help.${current}`)}</span>
    </fetcher.Form>
  );
}
