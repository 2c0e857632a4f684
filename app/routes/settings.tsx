import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FieldError, SubmitButton, type Errors } from "~/components/forms";
import { LocalTime } from "~/components/time";
import { getActor, requireUser, serializeClearedSessionCookie } from "~/http/auth.server";
import { localeCookie, resolveLocale } from "~/i18n/i18n.server";
import { listRegions } from "~/models/dialogues.server";
import { languageName } from "~/models/directory.server";
import { invalidateAllSessions, invalidateOwnSession, listSessions } from "~/models/sessions.server";
import { getOwnProfile } from "~/models/users.server";
import { getEmailPreferences } from "~/models/email/preferences.server";
import { regionTimeZone } from "~/utils/dates";
import { profileLanguages, profileUpdateSchema } from "~/realtime/commands";
import { commandErrorResponse, runRequestCommand } from "~/http/commands.server";
import { pick } from "~/utils/content";
import { loadOrThrow } from "~/utils/http.server";
import { logger } from "~/utils/logger.server";
import { pageTitle } from "~/utils/page-title";
import { truncate } from "~/utils/text";
import { CalendarFeedSection } from "~/components/calendar-feed";
import { calendarFeedState } from "~/models/calendar/feeds.server";
import { getTranslationSettings } from "~/models/translations/settings.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "settings.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const locale = await resolveLocale(request, context);
  const [sessions, profile, regions, email] = await Promise.all([
    listSessions(user.id),
    loadOrThrow(request, () => getOwnProfile(getActor(context))),
    listRegions(),
    loadOrThrow(request, () => getEmailPreferences(getActor(context))),
  ]);
  const calendarFeed = await loadOrThrow(request, () => calendarFeedState(getActor(context)));
  const translation = await loadOrThrow(request, () => getTranslationSettings(getActor(context)));
  return {
    user: { id: user.id, displayName: user.displayName, email: user.email, role: user.role, locale: user.locale },
    profile: {
      ...profile,
      otherLanguages: profile.languages.filter((code) => !(profileLanguages as readonly string[]).includes(code)).join(", "),
    },
    languageNames: Object.fromEntries(profileLanguages.map((code) => [code, languageName(code, locale)])),
    regions: regions.map((r) => ({ id: r.id, name: pick(locale, r.nameEn, r.nameZh), country: r.country })),
    email: {
      mentions: email.emailMentions,
      replies: email.emailReplies,
      watching: email.emailWatching,
      notes: email.emailNotes,
      caseStudies: email.emailCaseStudies,
      reminders: email.emailReminders,
      digest: email.digestFrequency,
      timeZone: email.timeZone,
      regionTimeZone: regionTimeZone(email.region),
      bouncing: email.emailBouncingAt ? { at: email.emailBouncingAt.toISOString(), reason: email.emailBounceReason ?? "" } : null,
    },
    timeZones: Intl.supportedValuesOf("timeZone"),
    calendarFeed,
    translation,
    sessions: sessions.map((s) => ({
      id: s.id,
      current: s.id === context.auth?.sessionId,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      userAgent: s.userAgent,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "profile") return saveProfile(request, context, form);
  if (intent === "password.change") {
    const outcome = await runRequestCommand(request, context, "password.change", {
      currentPassword: String(form.get("currentPassword") ?? ""),
      newPassword: String(form.get("newPassword") ?? ""),
    });
    if (!outcome.ok) return commandErrorResponse(outcome, "password.change");
    return redirect("/settings?saved=password#password");
  }
  if (intent === "emailPreferences.update") {
    const outcome = await runRequestCommand(request, context, "emailPreferences.update", {
      mentions: form.get("mentions"),
      replies: form.get("replies"),
      watching: form.get("watching"),
      notes: form.get("notes"),
      caseStudies: form.get("caseStudies"),
      reminders: form.get("reminders"),
      digest: String(form.get("digest") ?? ""),
      timeZone: String(form.get("timeZone") ?? ""),
      resumeBouncing: form.get("resumeBouncing"),
    });
    if (!outcome.ok) return commandErrorResponse(outcome, "emailPreferences.update");
    return redirect("/settings?saved=preferences#email");
  }
  if (intent === "translationSettings.update") {
    const outcome = await runRequestCommand(request, context, "translationSettings.update", { display: String(form.get("display") ?? ""), follow: form.get("follow") });
    if (!outcome.ok) return commandErrorResponse(outcome, "translationSettings.update");
    return redirect("/settings?saved=translations#translations");
  }
  if (intent === "email.change") {
    const outcome = await runRequestCommand(request, context, "email.change", { newEmail: String(form.get("newEmail") ?? ""), password: String(form.get("password") ?? "") });
    if (!outcome.ok) return commandErrorResponse(outcome, "email.change");
    return redirect("/settings?saved=emailChange#email");
  }
  if (intent === "account.delete") {
    const outcome = await runRequestCommand(request, context, "account.delete", { password: String(form.get("password") ?? "") });
    if (!outcome.ok) return commandErrorResponse(outcome, "account.delete");
    return redirect("/account-deleted", { headers: { "Set-Cookie": serializeClearedSessionCookie(context.secure) } });
  }
  if (intent === "calendarFeed.reset") {
    const outcome = await runRequestCommand(request, context, "calendarFeed.reset", {});
    if (!outcome.ok) return commandErrorResponse(outcome, "calendarFeed.reset");
    // Shown once on this answer (only its hash is kept), like an invitation link.
    const { token } = outcome.result as { token: string };
    return data({ intent: "calendarFeed.reset", calendarUrl: `${context.publicUrl}/calendar/${token}.ics` });
  }
  if (intent === "calendarFeed.remove") {
    const outcome = await runRequestCommand(request, context, "calendarFeed.remove", {});
    if (!outcome.ok) return commandErrorResponse(outcome, "calendarFeed.remove");
    return redirect("/settings#calendar");
  }
  if (intent === "sign-out-everywhere") {
    await invalidateAllSessions(user.id);
    logger.info({ event: "auth.signout_everywhere", userId: user.id }, "member signed out everywhere");
    return redirect("/signin", { headers: { "Set-Cookie": serializeClearedSessionCookie(context.secure) } });
  }
  if (intent === "revoke") {
    const sessionId = String(form.get("sessionId") ?? "");
    const ok = /^[a-z2-7]{1,64}$/.test(sessionId) && (await invalidateOwnSession(user.id, sessionId));
    if (!ok) return data({ errors: { "": ["not_found"] } }, { status: 404 });
    if (sessionId === context.auth?.sessionId) {
      return redirect("/signin", { headers: { "Set-Cookie": serializeClearedSessionCookie(context.secure) } });
    }
    return redirect("/settings");
  }
  return data({ errors: { "": ["validation"] } }, { status: 400 });
}

/** The profile form's fields as the `profile.update` command's input (every field, so blanks clear). */
function profileFormInput(form: FormData) {
  const text = (name: string) => String(form.get(name) ?? "");
  const other = text("otherLanguages").split(/[\s,，、;；]+/).filter(Boolean);
  return {
    displayName: text("displayName"),
    nameLatin: text("nameLatin"),
    nameChinese: text("nameChinese"),
    organisation: text("organisation"),
    title: text("title"),
    regionId: text("regionId") || null,
    languages: [...form.getAll("languages").map(String), ...other],
    bio: text("bio"),
    locale: text("locale"),
    baseRevision: text("baseRevision") || undefined,
  };
}

/**
 * Saves the profile section: every field's error at once (400, nothing written), or the update
 * and a redirect back (post/redirect/get). A changed preferred language also becomes the
 * language of the site, as the language switch would make it.
 */
async function saveProfile(request: Request, context: Parameters<typeof action>[0]["context"], form: FormData) {
  const input = profileFormInput(form);
  const parsed = profileUpdateSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] === "languages" ? "otherLanguages" : String(issue.path[0] ?? "");
      errors[field] = [...new Set([...(errors[field] ?? []), issue.message])];
    }
    return data({ errors, intent: "profile", values: input }, { status: 400 });
  }
  const outcome = await runRequestCommand(request, context, "profile.update", input);
  if (!outcome.ok) {
    const response = commandErrorResponse(outcome, "profile");
    // Saved elsewhere meanwhile (another tab): show what is stored now beside what was typed.
    const current = outcome.code === "edit_conflict" ? await getOwnProfile(getActor(context)) : null;
    return data({ ...response.data, values: input, current }, { status: outcome.status });
  }
  const headers = parsed.data.locale ? { "Set-Cookie": await localeCookie.serialize(parsed.data.locale, { secure: context.secure }) } : undefined;
  return redirect("/settings?saved=profile#profile", { headers });
}

const PROFILE_FIELDS = ["displayName", "nameLatin", "nameChinese", "organisation", "title", "regionId", "languages", "bio"] as const;

/** A refused save: each field whose stored value differs from what was typed, both shown. */
function ProfileConflict({ current, mine, regions, message }: {
  current: Record<(typeof PROFILE_FIELDS)[number], unknown>;
  mine: ProfileValues;
  regions: { id: string; name: string }[];
  message: string;
}) {
  const { t } = useTranslation();
  const shown = (field: (typeof PROFILE_FIELDS)[number], value: unknown) =>
    field === "regionId" ? regions.find((r) => r.id === value)?.name ?? "—" : Array.isArray(value) ? value.join(", ") : String(value ?? "") || "—";
  const differing = PROFILE_FIELDS.filter((field) => shown(field, current[field]) !== shown(field, mine[field]));
  const labels: Record<(typeof PROFILE_FIELDS)[number], string> = {
    displayName: "fields.displayName",
    nameLatin: "profile.nameLatin",
    nameChinese: "profile.nameChinese",
    organisation: "fields.organisation",
    title: "profile.jobTitle",
    regionId: "fields.region",
    languages: "profile.languages",
    bio: "profile.bio",
  };
  const label = (field: (typeof PROFILE_FIELDS)[number]) => t(labels[field]);
  return (
    <div className="notice error edit-conflict" role="alert" data-testid="edit-conflict">
      <p>{message}</p>
      <table className="conflict-table">
        <thead>
          <tr><th scope="col"></th><th scope="col">{t("profile.conflictSaved")}</th><th scope="col">{t("profile.conflictYours")}</th></tr>
        </thead>
        <tbody>
          {differing.map((field) => (
            <tr key={field}>
              <th scope="row">{label(field)}</th>
              <td>{shown(field, current[field])}</td>
              <td>{shown(field, mine[field])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t("profile.conflictHelp")}</p>
    </div>
  );
}

/** A readable device label from a User-Agent string. */
function deviceLabel(userAgent: string): string {
  if (!userAgent) return "—";
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Chrome\//.test(userAgent) ? "Chrome" : /Firefox\//.test(userAgent) ? "Firefox" : /Safari\//.test(userAgent) ? "Safari" : "";
  const os = /Windows/.test(userAgent) ? "Windows" : /Mac OS X/.test(userAgent) ? "macOS" : /Android/.test(userAgent) ? "Android" : /iPhone|iPad/.test(userAgent) ? "iOS" : /Linux/.test(userAgent) ? "Linux" : "";
  return [browser, os].filter(Boolean).join(" · ") || truncate(userAgent, 60);
}

type ProfileValues = ReturnType<typeof profileFormInput>;

function ProfileForm() {
  const { user, profile, regions, languageNames } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ errors?: Errors; intent?: string | null; values?: ProfileValues; message?: string; current?: typeof profile | null }>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const failed = actionData?.intent === "profile" ? actionData : undefined;
  const errors = failed?.errors;
  // After a refused submission, show what the member typed, not what is stored.
  const values = failed?.values;
  const v = (name: keyof Omit<ProfileValues, "languages" | "regionId">) => (values ? String(values[name] ?? "") : String(profile[name as keyof typeof profile] ?? ""));
  const ticked = new Set(values ? values.languages : profile.languages);
  // The tick-box languages come from the loader, so the browser bundle needs no schema module.
  const boxes = Object.keys(languageNames);
  const other = values ? values.languages.filter((l) => !boxes.includes(l)).join(", ") : profile.otherLanguages;
  // Remount the form after a save or a refusal so the defaults follow the data.
  const formKey = JSON.stringify(values ?? profile);
  return (
    <section className="card" id="profile" aria-labelledby="profile-heading">
      <h2 id="profile-heading">{t("profile.title")}</h2>
      <p className="muted">{t("profile.help")} <a href={`/members/${user.id}`}>{t("profile.view")}</a></p>
      {searchParams.get("saved") === "profile" && !failed ? <p className="notice success" role="status" data-testid="profile-saved">{t("profile.saved")}</p> : null}
      {failed?.current ? (
        <ProfileConflict current={failed.current} mine={failed.values!} regions={regions} message={failed.message ?? ""} />
      ) : errors ? (
        <p className="notice error" role="alert">{t("errors.validation")}</p>
      ) : null}
      <Form method="post" className="form profile-form" key={formKey} data-testid="profile-form" noValidate>
        <input type="hidden" name="baseRevision" value={failed?.current?.profileRevision ?? profile.profileRevision} />
        <div className="form-row">
          <label>
            {t("fields.displayName")}
            <input name="displayName" defaultValue={v("displayName")} required maxLength={100} autoComplete="name" aria-invalid={errors?.displayName ? true : undefined} />
            <FieldError errors={errors} name="displayName" />
          </label>
        </div>
        <div className="form-row form-row-2">
          <label>
            {t("profile.nameLatin")}
            <input name="nameLatin" lang="en" defaultValue={v("nameLatin")} maxLength={100} placeholder="Wang Li" aria-invalid={errors?.nameLatin ? true : undefined} />
            <span className="hint">{t("profile.nameLatinHint")}</span>
            <FieldError errors={errors} name="nameLatin" />
          </label>
          <label>
            {t("profile.nameChinese")}
            <input name="nameChinese" lang="zh-CN" defaultValue={v("nameChinese")} maxLength={50} placeholder="王丽" aria-invalid={errors?.nameChinese ? true : undefined} />
            <span className="hint">{t("profile.nameChineseHint")}</span>
            <FieldError errors={errors} name="nameChinese" />
          </label>
        </div>
        <div className="form-row form-row-2">
          <label>
            {t("profile.jobTitle")}
            <input name="title" defaultValue={v("title")} maxLength={200} autoComplete="organization-title" />
            <FieldError errors={errors} name="title" />
          </label>
          <label>
            {t("fields.organisation")}
            <input name="organisation" defaultValue={v("organisation")} maxLength={200} autoComplete="organization" />
            <FieldError errors={errors} name="organisation" />
          </label>
        </div>
        <div className="form-row form-row-2">
          <label>
            {t("fields.region")}
            <select name="regionId" defaultValue={values ? values.regionId ?? "" : profile.regionId ?? ""}>
              <option value="">{t("fields.noRegion")}</option>
              {(["US", "CN"] as const).map((country) => (
                <optgroup key={country} label={t(`country.${country}`)}>
                  {regions.filter((r) => r.country === country).map((r) => (
                    <option key={r.id} value={r.id}>{r.name}</option>
                  ))}
                </optgroup>
              ))}
            </select>
            <FieldError errors={errors} name="regionId" />
          </label>
          <label>
            {t("fields.language")}
            <select name="locale" defaultValue={v("locale") || user.locale}>
              <option value="en">English</option>
              <option value="zh">中文</option>
            </select>
            <span className="hint">{t("profile.localeHint")}</span>
            <FieldError errors={errors} name="locale" />
          </label>
        </div>
        <fieldset className="fieldset">
          <legend>{t("profile.languages")}</legend>
          <div className="checkbox-row">
            {boxes.map((code) => (
              <label key={code} className="radio">
                <input type="checkbox" name="languages" value={code} defaultChecked={ticked.has(code)} />
                {languageNames[code]}
              </label>
            ))}
          </div>
          <label>
            {t("profile.otherLanguages")}
            <input name="otherLanguages" defaultValue={other} maxLength={60} placeholder="ja, ko, de" aria-invalid={errors?.otherLanguages ? true : undefined} />
            <span className="hint">{t("profile.otherLanguagesHint")}</span>
            <FieldError errors={errors} name="otherLanguages" />
          </label>
        </fieldset>
        <label>
          {t("profile.bio")}
          <textarea name="bio" defaultValue={v("bio")} rows={6} maxLength={2000} aria-invalid={errors?.bio ? true : undefined} />
          <span className="hint">{t("profile.bioHint")}</span>
          <FieldError errors={errors} name="bio" />
        </label>
        <FieldError errors={errors} name="" />
        <div className="form-actions">
          <SubmitButton intent="profile">{t("profile.save")}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}

/** Settings → password: the current one, then the new one; every other session ends. */
function PasswordForm() {
  const actionData = useActionData<{ errors?: Errors; intent?: string | null }>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const errors = actionData?.intent === "password.change" ? actionData.errors : undefined;
  return (
    <section className="card" id="password" aria-labelledby="password-heading">
      <h2 id="password-heading">{t("account.password.title")}</h2>
      <p className="muted">{t("account.password.help")}</p>
      {searchParams.get("saved") === "password" && !actionData ? <p className="notice success" role="status" data-testid="password-saved">{t("account.password.saved")}</p> : null}
      <Form method="post" className="form" data-testid="password-form">
        <label>
          {t("account.password.current")}
          <input name="currentPassword" type="password" autoComplete="current-password" required maxLength={200} aria-invalid={errors?.currentPassword ? true : undefined} />
          <FieldError errors={errors} name="currentPassword" />
        </label>
        <label>
          {t("account.password.new")}
          <input name="newPassword" type="password" autoComplete="new-password" required minLength={10} maxLength={200} aria-invalid={errors?.newPassword ? true : undefined} />
          <span className="hint">{t("account.password.rules")}</span>
          <FieldError errors={errors} name="newPassword" />
        </label>
        <FieldError errors={errors} name="" />
        <div className="form-actions">
          <SubmitButton intent="password.change">{t("account.password.save")}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}

/**
 * Settings → email: a banner when the address bounces, the switch of each kind of email, the
 * digest's frequency, the time zone (digests at 08:00 there; the region's by default), and a
 * change of address (confirmed from the new address; nothing changes until then).
 */
function EmailSection() {
  const { email, timeZones, user } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ errors?: Errors; intent?: string | null; params?: Record<string, string> | null }>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const saved = searchParams.get("saved");
  const prefErrors = actionData?.intent === "emailPreferences.update" ? actionData.errors : undefined;
  const changeErrors = actionData?.intent === "email.change" ? actionData.errors : undefined;
  const switches = ["mentions", "replies", "watching", "notes", "caseStudies", "reminders"] as const;
  return (
    <section className="card" id="email" aria-labelledby="email-heading">
      <h2 id="email-heading">{t("emailSettings.title")}</h2>
      {email.bouncing ? (
        <div className="notice error" role="alert" data-testid="email-bouncing">
          <p>{t("emailSettings.bouncing", { email: user.email })}</p>
          {email.bouncing.reason ? <p className="muted small">{email.bouncing.reason}</p> : null}
          <Form method="post">
            {switches.map((name) => (email[name] ? <input key={name} type="hidden" name={name} value="on" /> : null))}
            <input type="hidden" name="digest" value={email.digest} />
            <input type="hidden" name="timeZone" value={email.timeZone ?? ""} />
            <input type="hidden" name="resumeBouncing" value="on" />
            <SubmitButton intent="emailPreferences.update" className="button button-small">{t("emailSettings.resume")}</SubmitButton>
          </Form>
        </div>
      ) : null}
      {saved === "preferences" && !actionData ? <p className="notice success" role="status" data-testid="preferences-saved">{t("emailSettings.saved")}</p> : null}
      <Form method="post" className="form" data-testid="email-preferences">
        <fieldset className="fieldset">
          <legend>{t("emailSettings.kinds")}</legend>
          {switches.map((name) => (
            <label key={name} className="radio">
              <input type="checkbox" name={name} defaultChecked={email[name]} />
              {t(`emailSettings.switches.${name}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {t("emailSettings.digest")}
          <select name="digest" defaultValue={email.digest}>
            <option value="off">{t("emailSettings.digestOff")}</option>
            <option value="daily">{t("emailSettings.digestDaily")}</option>
            <option value="weekly">{t("emailSettings.digestWeekly")}</option>
          </select>
          <span className="hint">{t("emailSettings.digestHint")}</span>
        </label>
        <label>
          {t("emailSettings.timeZone")}
          <select name="timeZone" defaultValue={email.timeZone ?? ""}>
            <option value="">{t("emailSettings.timeZoneDefault", { zone: email.regionTimeZone })}</option>
            {timeZones.map((zone) => (
              <option key={zone} value={zone}>{zone}</option>
            ))}
          </select>
          <FieldError errors={prefErrors} name="timeZone" />
        </label>
        <FieldError errors={prefErrors} name="" />
        <div className="form-actions">
          <SubmitButton intent="emailPreferences.update">{t("emailSettings.save")}</SubmitButton>
        </div>
      </Form>
      <h3>{t("emailChange.title")}</h3>
      <p className="muted">{t("emailChange.help", { email: user.email })}</p>
      {saved === "emailChange" && !actionData ? <p className="notice success" role="status" data-testid="email-change-sent">{t("emailChange.sent")}</p> : null}
      {saved === "email" && !actionData ? <p className="notice success" role="status">{t("emailChange.changed")}</p> : null}
      <Form method="post" className="form" data-testid="email-change">
        <label>
          {t("emailChange.newEmail")}
          <input name="newEmail" type="email" autoComplete="email" required maxLength={254} aria-invalid={changeErrors?.newEmail ? true : undefined} />
          <FieldError errors={changeErrors} name="newEmail" params={actionData?.params ?? undefined} />
        </label>
        <label>
          {t("emailChange.password")}
          <input name="password" type="password" autoComplete="current-password" required maxLength={200} aria-invalid={changeErrors?.password ? true : undefined} />
          <FieldError errors={changeErrors} name="password" />
        </label>
        <FieldError errors={changeErrors} name="" params={actionData?.params ?? undefined} />
        <div className="form-actions">
          <SubmitButton intent="email.change" className="button button-secondary">{t("emailChange.submit")}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}

/**
 * Settings → translations: how a reply translated into the member's language is shown (the
 * translation with a "Show original" switch, always the original, or both side by side), and
 * whether they are told when someone asks for a translation.
 */
function TranslationSection() {
  const { translation } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ errors?: Errors; intent?: string | null }>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const errors = actionData?.intent === "translationSettings.update" ? actionData.errors : undefined;
  return (
    <section className="card" id="translations" aria-labelledby="translations-heading">
      <h2 id="translations-heading">{t("translations.settings.title")}</h2>
      <p className="muted">{t("translations.settings.help")}</p>
      {searchParams.get("saved") === "translations" && !actionData ? <p className="notice success" role="status" data-testid="translation-settings-saved">{t("translations.settings.saved")}</p> : null}
      <Form method="post" className="form" data-testid="translation-settings" key={JSON.stringify(translation)}>
        <fieldset className="fieldset">
          <legend>{t("translations.settings.display")}</legend>
          {(["translated", "original", "both"] as const).map((display) => (
            <label key={display} className="radio">
              <input type="radio" name="display" value={display} defaultChecked={translation.display === display} />
              {t(`translations.settings.displays.${display}`)}
            </label>
          ))}
        </fieldset>
        <label className="radio">
          <input type="checkbox" name="follow" defaultChecked={translation.follow} aria-describedby="follow-translations-hint" />
          {t("translations.settings.follow")}
        </label>
        <span className="hint" id="follow-translations-hint">{t("translations.settings.followHint")}</span>
        <FieldError errors={errors} name="display" />
        <FieldError errors={errors} name="" />
        <div className="form-actions">
          <SubmitButton intent="translationSettings.update">{t("translations.settings.save")}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}

/** Settings → your data: "Download my data" (GDPR Art. 15 and 20; PIPL Art. 45). */
function DataSection() {
  const { t } = useTranslation();
  return (
    <section className="card" id="data" aria-labelledby="data-heading">
      <h2 id="data-heading">{t("account.data.title")}</h2>
      <p className="muted">{t("account.data.help")}</p>
      <p>
        <a href="/settings/data.json" className="button button-secondary" download data-testid="download-data">{t("account.data.download")}</a>
      </p>
    </section>
  );
}

/** Settings → "Delete my account", confirmed with the password (GDPR Art. 17; PIPL Art. 47). */
function DeleteAccountSection() {
  const actionData = useActionData<{ errors?: Errors; intent?: string | null }>();
  const { t } = useTranslation();
  const errors = actionData?.intent === "account.delete" ? actionData.errors : undefined;
  return (
    <section className="card danger-zone" id="delete" aria-labelledby="delete-heading">
      <h2 id="delete-heading">{t("account.delete.title")}</h2>
      <p>{t("account.delete.help")}</p>
      <ul className="muted">
        <li>{t("account.delete.keeps")}</li>
        <li>{t("account.delete.notes")}</li>
        <li>{t("account.delete.final")}</li>
      </ul>
      {/* A document POST: the answer is another page, and this page's socket is about to be ended. */}
      <Form method="post" className="form" data-testid="delete-account-form" reloadDocument>
        <label>
          {t("account.delete.password")}
          <input name="password" type="password" autoComplete="current-password" required maxLength={200} aria-invalid={errors?.password ? true : undefined} />
          <FieldError errors={errors} name="password" />
        </label>
        <FieldError errors={errors} name="" />
        <div className="form-actions">
          <SubmitButton intent="account.delete" className="button button-danger">{t("account.delete.submit")}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}

export default function Settings() {
  const { user, sessions, calendarFeed } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ intent?: string | null; calendarUrl?: string }>();
  const { t } = useTranslation();
  return (
    <div className="stack-lg narrow-wide">
      <h1>{t("settings.title")}</h1>
      <section className="card">
        <h2>{t("settings.account")}</h2>
        <dl className="kv">
          <dt>{t("fields.displayName")}</dt><dd>{user.displayName}</dd>
          <dt>{t("fields.email")}</dt><dd>{user.email}</dd>
          <dt>{t("settings.role")}</dt><dd>{t(`roles.${user.role}`)}</dd>
        </dl>
      </section>
      <ProfileForm />
      <PasswordForm />
      <EmailSection />
      <TranslationSection />
      <CalendarFeedSection feed={calendarFeed} newUrl={actionData?.intent === "calendarFeed.reset" ? actionData.calendarUrl ?? null : null} />
      <section className="card">
        <h2>{t("settings.sessions")}</h2>
        <p className="muted">{t("settings.sessionsHelp")}</p>
        <ul className="list" data-testid="sessions">
          {sessions.map((s) => (
            <li key={s.id} className="session-row">
              <div>
                <strong>{deviceLabel(s.userAgent)}</strong>
                {s.current ? <span className="badge badge-scheduled">{t("settings.thisDevice")}</span> : null}
                <div className="muted">
                  {t("settings.signedIn")} <LocalTime iso={s.createdAt} /> · {t("settings.lastActive")} <LocalTime iso={s.lastSeenAt} />
                </div>
              </div>
              <Form method="post">
                <input type="hidden" name="sessionId" value={s.id} />
                <SubmitButton intent="revoke" className="button button-secondary button-small">{t("nav.signOut")}</SubmitButton>
              </Form>
            </li>
          ))}
        </ul>
        <Form method="post">
          <SubmitButton intent="sign-out-everywhere" className="button button-danger">{t("settings.signOutEverywhere")}</SubmitButton>
        </Form>
      </section>
      <DataSection />
      <DeleteAccountSection />
    </div>
  );
}
