-- CreateEnum
CREATE TYPE "ParticipationStatus" AS ENUM ('pending', 'approved', 'declined');

-- CreateEnum
CREATE TYPE "DigestFrequency" AS ENUM ('off', 'daily', 'weekly');

-- CreateEnum
CREATE TYPE "EmailStatus" AS ENUM ('queued', 'sending', 'sent', 'held', 'failed', 'suppressed', 'cancelled');

-- CreateEnum
CREATE TYPE "EmailKind" AS ENUM ('test', 'invitation', 'password_reset', 'password_changed', 'email_change_confirm', 'email_change_notice', 'notification', 'digest', 'dialogue_reminder', 'participation_decided', 'reply_refused');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "NotificationType" ADD VALUE IF NOT EXISTS 'note_shared';
ALTER TYPE "NotificationType" ADD VALUE 'case_study_comment';

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "digest_frequency" "DigestFrequency" NOT NULL DEFAULT 'weekly',
ADD COLUMN     "email_bounce_reason" TEXT,
ADD COLUMN     "email_bouncing_at" TIMESTAMPTZ(3),
ADD COLUMN     "email_case_studies" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "email_mentions" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "email_notes" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "email_reminders" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "email_replies" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "email_watching" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "last_digest_at" TIMESTAMPTZ(3),
ADD COLUMN     "time_zone" TEXT;

-- AlterTable
ALTER TABLE "invitations" ADD COLUMN     "email" TEXT,
ADD COLUMN     "locale" "Locale",
ADD COLUMN     "message" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "sent_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "dialogues" ADD COLUMN     "reminded_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "notifications" ADD COLUMN     "case_study_id" TEXT,
ADD COLUMN     "note_id" TEXT;

-- AlterTable
ALTER TABLE "participation_requests" ADD COLUMN     "decided_at" TIMESTAMPTZ(3),
ADD COLUMN     "decided_by_id" TEXT,
ADD COLUMN     "decision_note" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "locale" "Locale" NOT NULL DEFAULT 'en',
ADD COLUMN     "status" "ParticipationStatus" NOT NULL DEFAULT 'pending';

-- CreateTable
CREATE TABLE "email_outbox" (
    "id" TEXT NOT NULL,
    "kind" "EmailKind" NOT NULL,
    "user_id" TEXT,
    "to_address" TEXT NOT NULL,
    "locale" "Locale" NOT NULL DEFAULT 'en',
    "status" "EmailStatus" NOT NULL DEFAULT 'queued',
    "ref_id" TEXT,
    "gather_key" TEXT,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "subject" TEXT NOT NULL DEFAULT '',
    "html" TEXT,
    "text" TEXT,
    "headers" JSONB,
    "send_after" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "email_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "password_reset_tokens" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "password_reset_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "email_change_requests" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "new_email" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_change_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbound_emails" (
    "message_id" TEXT NOT NULL,
    "user_id" TEXT,
    "reply_id" TEXT,
    "outcome" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbound_emails_pkey" PRIMARY KEY ("message_id")
);

-- CreateTable
CREATE TABLE "app_secrets" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_secrets_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "email_outbox_status_created_at_idx" ON "email_outbox"("status", "created_at");

-- CreateIndex
CREATE INDEX "email_outbox_user_id_created_at_idx" ON "email_outbox"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "email_outbox_created_at_idx" ON "email_outbox"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "password_reset_tokens_token_hash_key" ON "password_reset_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "password_reset_tokens_user_id_idx" ON "password_reset_tokens"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "email_change_requests_token_hash_key" ON "email_change_requests"("token_hash");

-- CreateIndex
CREATE INDEX "email_change_requests_user_id_idx" ON "email_change_requests"("user_id");

-- CreateIndex
CREATE INDEX "invitations_email_idx" ON "invitations"("email");

-- AddForeignKey
ALTER TABLE "email_outbox" ADD CONSTRAINT "email_outbox_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "password_reset_tokens" ADD CONSTRAINT "password_reset_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_change_requests" ADD CONSTRAINT "email_change_requests_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- At most one queued email per gathering key: replies in one thread while the first email
-- waits go into that email (not modelled in schema.prisma: Prisma has no partial unique index).
CREATE UNIQUE INDEX "email_outbox_gather_key_queued_key" ON "email_outbox"("gather_key") WHERE "status" = 'queued';
