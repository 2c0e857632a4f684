/** Dialogue display pieces: status badge, the "when" block (U.S. Eastern, Mountain and China time, and the reader's), cards, "Add to calendar". */
import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatInZone, type DialogueWhen } from "~/utils/dates";

/** A dialogue's status as pages show it (app/models/dialogues.server.ts `displayStatus`). */
export type DialogueStatusName = "scheduled" | "tbd" | "held" | "cancelled";

export function StatusBadge({ status }: { status: DialogueStatusName }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${status}`} data-testid="dialogue-status">{t(`status.${status}`)}</span>;
}

export function WhenBlock({ when, eventNote }: { when: DialogueWhen; eventNote?: string }) {
  const { t } = useTranslation();
  return (
    <dl className="when">
      {when.eastern ? (
        <>
          <dt>{t("dialogue.usEastern")}</dt>
          <dd data-testid="time-us">{when.eastern}</dd>
          {when.mountain ? (
            <>
              <dt>{t("dialogue.usMountain")}</dt>
              <dd data-testid="time-us-mountain">{when.mountain}</dd>
            </>
          ) : null}
          <dt>{t("dialogue.chinaTime")}</dt>
          <dd data-testid="time-cn">{when.china}</dd>
          {when.startsAt ? <ReaderTime iso={when.startsAt} /> : null}
        </>
      ) : null}
      {when.day ? (
        <>
          <dt>{t("dialogue.date")}</dt>
          <dd>
            {when.day}
            <span className="muted"> · {t("dialogue.timeToBeAnnounced")}</span>
          </dd>
        </>
      ) : null}
      {when.period ? (
        <>
          <dt>{t("dialogue.period")}</dt>
          <dd>{when.period}</dd>
        </>
      ) : null}
      {when.note ? (
        <>
          <dt>{t("dialogue.timing")}</dt>
          <dd>{when.note}</dd>
        </>
      ) : null}
      {eventNote ? (
        <>
          <dt>{t("dialogue.occasion")}</dt>
          <dd>{eventNote}</dd>
        </>
      ) : null}
    </dl>
  );
}

export interface DialogueCardData {
  slug: string;
  title: string;
  status: DialogueStatusName;
  when: DialogueWhen;
  kind: "dialogue" | "study";
  seriesTitle?: string;
}

export function DialogueCard({ dialogue }: { dialogue: DialogueCardData }) {
  const { t } = useTranslation();
  const whenText = dialogue.when.eastern ?? dialogue.when.day ?? dialogue.when.period ?? dialogue.when.note ?? "";
  return (
    <article className="card dialogue-card">
      <div className="card-meta">
        <StatusBadge status={dialogue.status} />
        {dialogue.kind === "study" ? <span className="badge">{t("dialogue.study")}</span> : null}
        {dialogue.seriesTitle ? <span className="muted">{dialogue.seriesTitle}</span> : null}
      </div>
      <h3>
        <Link to={`/dialogues/${dialogue.slug}`} data-testid="dialogue-title">{dialogue.title}</Link>
      </h3>
      {whenText ? <p className="muted">{whenText}</p> : null}
    </article>
  );
}

/**
 * The start in the reader's own zone, with the zone's name. Only the browser knows the zone, so
 * this renders after hydration (nothing in the server's HTML, no mismatch).
 */
function ReaderTime({ iso }: { iso: string }) {
  const { t, i18n } = useTranslation();
  const [zone, setZone] = useState<string | null>(null);
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone || null), []);
  if (!zone) return null;
  const text = formatInZone(new Date(iso), zone, i18n.language === "zh" ? "zh" : "en");
  return (
    <>
      <dt>{t("dialogue.yourTime", { zone: zone.replace(/_/g, " ") })}</dt>
      <dd data-testid="time-reader">{text}</dd>
    </>
  );
}

/** "Add to calendar": the dialogue's `.ics` file (any calendar app opens it). */
export function AddToCalendar({ slug }: { slug: string }) {
  const { t } = useTranslation();
  return (
    <a className="button button-secondary button-small" href={`/dialogues/${slug}/calendar.ics`} download data-testid="add-to-calendar">
      {t("calendar.add")}
    </a>
  );
}
