-- Issue #11, accounts and administration: admins deactivate and reactivate members (content
-- stays), revoke outstanding invitations, and members are told in-app when their password changes.

-- AlterEnum
ALTER TYPE "NotificationType" ADD VALUE 'password_changed';

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "deactivated_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "invitations" ADD COLUMN     "revoked_at" TIMESTAMPTZ(3);

