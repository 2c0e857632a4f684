/**
 * Settings → "Your dialogues in your calendar": a personal feed address to subscribe to in any
 * calendar app (webcal://), shown once when it is made, because only its hash is kept; a new
 * address turns the old one off, and the feed can be turned off.
 */
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SubmitButton } from "./forms";
import { LocalTime } from "./time";

export interface CalendarFeedView {
  exists: boolean;
  createdAt: string | null;
  fetchedAt: string | null;
}

export function CalendarFeedSection({ feed, newUrl }: { feed: CalendarFeedView; newUrl: string | null }) {
  const { t } = useTranslation();
  const webcal = newUrl ? newUrl.replace(/^https?:\/\//, "webcal://") : null;
  return (
    <section className="card" id="calendar" aria-labelledby="calendar-heading" data-testid="calendar-feed">
      <h2 id="calendar-heading">{t("calendar.title")}</h2>
      <p className="muted">{t("calendar.help")}</p>
      {newUrl && webcal ? (
        <div className="notice success" role="status" data-testid="calendar-feed-new">
          <p>{t("calendar.shownOnce")}</p>
          <p>
            <a href={webcal} className="button button-small" data-testid="calendar-subscribe">{t("calendar.subscribe")}</a>
          </p>
          <label>
            {t("calendar.address")}
            <input readOnly value={newUrl} onFocus={(event) => event.currentTarget.select()} data-testid="calendar-feed-url" />
          </label>
        </div>
      ) : feed.exists ? (
        <p data-testid="calendar-feed-state">
          {t("calendar.madeOn")} <LocalTime iso={feed.createdAt!} />
          {feed.fetchedAt ? (
            <>
              {" · "}
              {t("calendar.lastRead")} <LocalTime iso={feed.fetchedAt} />
            </>
          ) : (
            <> · {t("calendar.notReadYet")}</>
          )}
        </p>
      ) : null}
      <div className="form-actions">
        <Form method="post">
          <SubmitButton intent="calendarFeed.reset" className="button button-small">
            {feed.exists || newUrl ? t("calendar.replace") : t("calendar.create")}
          </SubmitButton>
        </Form>
        {feed.exists || newUrl ? (
          <Form method="post">
            <SubmitButton intent="calendarFeed.remove" className="button button-secondary button-small">{t("calendar.remove")}</SubmitButton>
          </Form>
        ) : null}
      </div>
    </section>
  );
}
