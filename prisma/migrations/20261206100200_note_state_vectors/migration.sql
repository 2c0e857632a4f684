-- AlterTable
ALTER TABLE "notes" ADD COLUMN     "state_vector" BYTEA;

