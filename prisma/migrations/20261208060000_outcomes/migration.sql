-- CreateEnum
CREATE TYPE "OutcomeType" AS ENUM ('policy_idea', 'joint_project', 'commitment', 'publication');

-- CreateEnum
CREATE TYPE "OutcomeStatus" AS ENUM ('proposed', 'under_discussion', 'adopted', 'implemented', 'not_pursued');

-- CreateEnum
CREATE TYPE "OutcomeOriginKind" AS ENUM ('dialogue', 'thread', 'note', 'case_study');

-- CreateTable
CREATE TABLE "outcomes" (
    "id" TEXT NOT NULL,
    "title_en" TEXT NOT NULL DEFAULT '',
    "title_zh" TEXT NOT NULL DEFAULT '',
    "summary_en" TEXT NOT NULL DEFAULT '',
    "summary_zh" TEXT NOT NULL DEFAULT '',
    "type" "OutcomeType" NOT NULL,
    "status" "OutcomeStatus" NOT NULL DEFAULT 'proposed',
    "is_public" BOOLEAN NOT NULL DEFAULT false,
    "proposed_by_id" TEXT,
    "reviewed_at" TIMESTAMPTZ(3),
    "reviewed_by_id" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "outcomes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outcome_regions" (
    "outcome_id" TEXT NOT NULL,
    "region_id" TEXT NOT NULL,

    CONSTRAINT "outcome_regions_pkey" PRIMARY KEY ("outcome_id","region_id")
);

-- CreateTable
CREATE TABLE "outcome_origins" (
    "outcome_id" TEXT NOT NULL,
    "kind" "OutcomeOriginKind" NOT NULL,
    "ref_id" TEXT NOT NULL,

    CONSTRAINT "outcome_origins_pkey" PRIMARY KEY ("outcome_id","kind","ref_id")
);

-- CreateTable
CREATE TABLE "outcome_evidence" (
    "id" TEXT NOT NULL,
    "outcome_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outcome_evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outcome_events" (
    "id" TEXT NOT NULL,
    "outcome_id" TEXT NOT NULL,
    "status" "OutcomeStatus" NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "actor_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outcome_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "outcomes_reviewed_at_status_idx" ON "outcomes"("reviewed_at", "status");

-- CreateIndex
CREATE INDEX "outcome_regions_region_id_idx" ON "outcome_regions"("region_id");

-- CreateIndex
CREATE INDEX "outcome_origins_kind_ref_id_idx" ON "outcome_origins"("kind", "ref_id");

-- CreateIndex
CREATE INDEX "outcome_evidence_outcome_id_created_at_idx" ON "outcome_evidence"("outcome_id", "created_at");

-- CreateIndex
CREATE INDEX "outcome_events_outcome_id_occurred_at_idx" ON "outcome_events"("outcome_id", "occurred_at");

-- AddForeignKey
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_proposed_by_id_fkey" FOREIGN KEY ("proposed_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_reviewed_by_id_fkey" FOREIGN KEY ("reviewed_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcome_regions" ADD CONSTRAINT "outcome_regions_outcome_id_fkey" FOREIGN KEY ("outcome_id") REFERENCES "outcomes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcome_regions" ADD CONSTRAINT "outcome_regions_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "regions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcome_origins" ADD CONSTRAINT "outcome_origins_outcome_id_fkey" FOREIGN KEY ("outcome_id") REFERENCES "outcomes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcome_evidence" ADD CONSTRAINT "outcome_evidence_outcome_id_fkey" FOREIGN KEY ("outcome_id") REFERENCES "outcomes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcome_events" ADD CONSTRAINT "outcome_events_outcome_id_fkey" FOREIGN KEY ("outcome_id") REFERENCES "outcomes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcome_events" ADD CONSTRAINT "outcome_events_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

