import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "account.deleted.title");

/** Where a member lands after deleting their account (signed out by then). */
export default function AccountDeleted() {
  const { t } = useTranslation();
  return (
    <div className="narrow card stack" data-testid="account-deleted">
      <h1>{t("account.deleted.title")}</h1>
      <p>{t("account.deleted.body")}</p>
      <p><Link to="/">{t("nav.backHome")}</Link></p>
    </div>
  );
}
