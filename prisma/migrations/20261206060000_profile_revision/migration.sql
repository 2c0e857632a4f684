-- AlterTable
ALTER TABLE "users" ADD COLUMN     "profile_revision" INTEGER NOT NULL DEFAULT 0;

