/**
 * Form pieces used by every form: field errors translated from codes, a pending-aware button,
 * and resending a submission the server refused only because it was too busy.
 */
import { useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

export type Errors = Record<string, string[] | null | undefined> | undefined;

/** Translated messages for one field (or the form, key ""). */
export function FieldError({ errors, name, id, params }: { errors: Errors; name: string; id?: string; params?: Record<string, string | number> }) {
  const { t } = useTranslation();
  const codes = errors?.[name];
  if (!codes?.length) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {codes.map((code) => t(`errors.${code}`, { ...params, defaultValue: t("errors.invalid") })).join(" ")}
    </p>
  );
}

export function SubmitButton({
  children,
  pendingLabel,
  intent,
  className = "button",
}: {
  children: React.ReactNode;
  pendingLabel?: React.ReactNode;
  intent?: string;
  className?: string;
}) {
  const navigation = useNavigation();
  const { t } = useTranslation();
  const pending = navigation.state === "submitting" && (!intent || navigation.formData?.get("intent") === intent);
  return (
    <button type="submit" className={className} disabled={pending} name={intent ? "intent" : undefined} value={intent}>
      {pending ? pendingLabel ?? t("common.working") : children}
    </button>
  );
}

/** Resends after 2 s, 4 s, 8 s, 16 s, then gives up (the refusal stays on screen). */
const BUSY_RETRIES = 4;

/**
 * Resends the last submission of the form with this `intent`, unchanged, when the server
 * refused it only because the database was too busy (503 `overloaded`: nothing was written).
 * Only for forms whose command is safe to repeat: the reply and comment forms carry an
 * idempotency key, so a retry never posts twice. Returns the number of the retry under way
 * (0 when none), for a "trying again" note.
 */
export function useRetryWhenBusy(intent: string, actionData: { errors?: Errors; intent?: string | null } | undefined): number {
  const navigation = useNavigation();
  const submit = useSubmit();
  const lastSubmission = useRef<FormData | null>(null);
  const [attempt, setAttempt] = useState(0);
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  useEffect(() => {
    if (submitting && navigation.formData) lastSubmission.current = navigation.formData;
  }, [submitting, navigation.formData]);
  const busy = actionData?.intent === intent && Object.values(actionData.errors ?? {}).some((codes) => codes?.includes("overloaded"));
  useEffect(() => {
    if (!busy) {
      setAttempt(0);
      return;
    }
    const form = lastSubmission.current;
    if (!form || attempt >= BUSY_RETRIES) return;
    const timer = setTimeout(() => {
      setAttempt((n) => n + 1);
      submit(form, { method: "post" });
    }, 2000 * 2 ** attempt);
    return () => clearTimeout(timer);
    // A new refusal (a new actionData object) schedules the next retry.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actionData, busy]);
  return busy && attempt < BUSY_RETRIES ? attempt + 1 : 0;
}

/** "The site is busy: trying again…" while `useRetryWhenBusy` is at it. */
export function BusyRetryNote({ attempt }: { attempt: number }) {
  const { t } = useTranslation();
  if (!attempt) return null;
  return (
    <p className="muted" role="status" data-testid="busy-retry">
      {t("common.retryingBusy")}
    </p>
  );
}
