-- CreateEnum
CREATE TYPE "NoteRole" AS ENUM ('owner', 'editor', 'commenter', 'viewer');

-- CreateTable
CREATE TABLE "notes" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "dialogue_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "note_members" (
    "note_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "role" "NoteRole" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "note_members_pkey" PRIMARY KEY ("note_id","user_id")
);

-- CreateTable
CREATE TABLE "note_regions" (
    "note_id" TEXT NOT NULL,
    "region_id" TEXT NOT NULL,

    CONSTRAINT "note_regions_pkey" PRIMARY KEY ("note_id","region_id")
);

-- CreateTable
CREATE TABLE "note_updates" (
    "seq" BIGSERIAL NOT NULL,
    "note_id" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "user_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "note_updates_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "note_snapshots" (
    "id" TEXT NOT NULL,
    "note_id" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "up_to_seq" BIGINT NOT NULL,
    "name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "note_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notes_owner_id_idx" ON "notes"("owner_id");

-- CreateIndex
CREATE INDEX "note_members_user_id_idx" ON "note_members"("user_id");

-- CreateIndex
CREATE INDEX "note_updates_note_id_seq_idx" ON "note_updates"("note_id", "seq");

-- CreateIndex
CREATE INDEX "note_snapshots_note_id_up_to_seq_idx" ON "note_snapshots"("note_id", "up_to_seq");

-- AddForeignKey
ALTER TABLE "notes" ADD CONSTRAINT "notes_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notes" ADD CONSTRAINT "notes_dialogue_id_fkey" FOREIGN KEY ("dialogue_id") REFERENCES "dialogues"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note_members" ADD CONSTRAINT "note_members_note_id_fkey" FOREIGN KEY ("note_id") REFERENCES "notes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note_members" ADD CONSTRAINT "note_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note_regions" ADD CONSTRAINT "note_regions_note_id_fkey" FOREIGN KEY ("note_id") REFERENCES "notes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note_regions" ADD CONSTRAINT "note_regions_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "regions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note_updates" ADD CONSTRAINT "note_updates_note_id_fkey" FOREIGN KEY ("note_id") REFERENCES "notes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note_snapshots" ADD CONSTRAINT "note_snapshots_note_id_fkey" FOREIGN KEY ("note_id") REFERENCES "notes"("id") ON DELETE CASCADE ON UPDATE CASCADE;
