-- CreateTable
CREATE TABLE "notification_replies" (
    "notification_id" TEXT NOT NULL,
    "reply_id" TEXT NOT NULL,

    CONSTRAINT "notification_replies_pkey" PRIMARY KEY ("notification_id","reply_id")
);

-- CreateIndex
CREATE INDEX "notification_replies_reply_id_idx" ON "notification_replies"("reply_id");

-- AddForeignKey
ALTER TABLE "notification_replies" ADD CONSTRAINT "notification_replies_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_replies" ADD CONSTRAINT "notification_replies_reply_id_fkey" FOREIGN KEY ("reply_id") REFERENCES "replies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-added: existing coalesced lines knew only their latest reply.
INSERT INTO "notification_replies" ("notification_id", "reply_id")
SELECT "id", "reply_id" FROM "notifications" WHERE "type" = 'reply' AND "reply_id" IS NOT NULL;
