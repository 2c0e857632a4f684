-- Issue #11, accounts and administration: admins deactivate and reactivate members (content
-- stays), revoke outstanding invitations, and members are told in-app when their password changes.

-- AlterEnum
ALTER TYPE "NotificationType" ADD VALUE 'password_changed';

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "deactivated_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "invitations" ADD COLUMN     "revoked_at" TIMESTAMPTZ(3);


-- "Useful" is what other members say of a case study: drop endorsements by the case study's own
-- author, then recount.
DELETE FROM "endorsements" e USING "case_studies" c WHERE e."case_study_id" = c."id" AND e."user_id" = c."author_id";
UPDATE "case_studies" c SET "endorsement_count" = (SELECT count(*) FROM "endorsements" e WHERE e."case_study_id" = c."id");
