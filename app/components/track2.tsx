/**
 * Track 2 pieces: the attribution banner (the rule a thread or dialogue is held under, in the
 * reader's language, above the thread and its reply form), staff's level picker for a thread,
 * and the dialogue page's participant list and the member's own request.
 */
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { AttributionLevelName } from "~/realtime/events";

/** The rule's name and text; nothing for a thread on the record. */
export function AttributionBanner({ level, compact = false }: { level: AttributionLevelName; compact?: boolean }) {
  const { t } = useTranslation();
  if (level === "on_record") return null;
  return (
    <aside className={`notice attribution-banner attribution-${level}`} role="note" data-testid="attribution-banner" data-level={level}>
      <strong>{t(`attribution.levels.${level}`)}</strong>
      {compact ? <span> · {t(`attribution.short.${level}`)}</span> : <p>{t(`attribution.rules.${level}`)}</p>}
    </aside>
  );
}

/** Staff: hold this thread under a level, or let it follow its dialogue. */
export function ThreadAttributionForm({ own, inherited }: { own: AttributionLevelName | null; inherited: AttributionLevelName }) {
  const { t } = useTranslation();
  return (
    <Form method="post" className="form form-inline" data-testid="thread-attribution-form">
      <input type="hidden" name="intent" value="thread.attribution" />
      <label>
        {t("attribution.threadLevel")}
        <select name="level" defaultValue={own ?? "inherit"}>
          <option value="inherit">{t("attribution.inherit", { level: t(`attribution.levels.${inherited}`) })}</option>
          {(["on_record", "chatham_house", "off_the_record"] as const).map((level) => (
            <option key={level} value={level}>{t(`attribution.levels.${level}`)}</option>
          ))}
        </select>
      </label>
      <button type="submit" className="button button-small button-secondary">{t("common.save")}</button>
      <p className="muted small">{t("attribution.loosenNote")}</p>
    </Form>
  );
}

export interface ParticipantsView {
  people: { name: string; organisation: string; role: string; userId: string | null }[];
  byRole: Record<string, number | undefined>;
  total: number;
  withheld: boolean;
  staffOnly: boolean;
  capacity: number | null;
  waiting: number;
}

/** Who takes part: names where the level allows (or for staff, marked), else counts by role. */
export function ParticipantList({ list, level }: { list: ParticipantsView; level: AttributionLevelName }) {
  const { t } = useTranslation();
  return (
    <section className="card stack" id="participants" data-testid="participants">
      <h2>{t("participants.title")}</h2>
      <p className="muted" data-testid="participant-count">
        {list.capacity !== null ? t("participants.countOf", { count: list.total, capacity: list.capacity }) : t("participants.count", { count: list.total })}
        {list.waiting > 0 ? <> · {t("participants.waiting", { count: list.waiting })}</> : null}
      </p>
      {list.withheld ? (
        <>
          <p className="muted small" data-testid="participants-withheld">{t("participants.withheld", { level: t(`attribution.levels.${level}`) })}</p>
          <ul className="chips">
            {Object.entries(list.byRole).map(([role, count]) => (
              <li key={role} className="chip">{t(`participants.roles.${role}`)} · {count}</li>
            ))}
          </ul>
        </>
      ) : list.people.length ? (
        <>
          {list.staffOnly ? <p className="badge staff-only">{t("participants.staffOnly")}</p> : null}
          <ul className="list participant-names">
            {list.people.map((p, i) => (
              <li key={`${p.userId ?? p.name}-${i}`} data-testid="participant">
                {p.userId ? <Link to={`/members/${p.userId}`}>{p.name}</Link> : p.name}
                {p.organisation ? <span className="muted"> · {p.organisation}</span> : null}
                <span className="badge">{t(`participants.roles.${p.role}`)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** The member's own request: its state, with a way to withdraw it while it is open. */
export function MyParticipation({ request }: { request: { id: string; status: string; role: string; decisionNote: string } }) {
  const { t } = useTranslation();
  const open = request.status === "pending" || request.status === "approved" || request.status === "waitlisted";
  return (
    <div className="stack" data-testid="my-participation" data-status={request.status}>
      <p className={`notice ${request.status === "approved" ? "success" : request.status === "declined" ? "error" : ""}`} role="status">
        {t(`participate.state.${request.status}`, { role: t(`participants.roles.${request.role}`) })}
      </p>
      {request.decisionNote ? <p className="excerpt">{request.decisionNote}</p> : null}
      {open ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="participation.cancel" />
          <input type="hidden" name="requestId" value={request.id} />
          <button type="submit" className="button button-small button-secondary" data-testid="cancel-participation">
            {request.status === "approved" ? t("participate.cancelPlace") : t("participate.withdraw")}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
