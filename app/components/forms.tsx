/** Form pieces used by every form: field errors translated from codes, a pending-aware button. */
import { useNavigation } from "@remix-run/react";
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
