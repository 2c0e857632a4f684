-- A reply's title is its thread's title, kept for display only: the thread's own document is
-- what a title search finds. Indexing it with every reply made each reply of a thread whose
-- title matched outrank real matches (app/models/search.server.ts, `indexTitle: false`).
-- Data only; the Prisma schema does not change.
UPDATE "search_documents" SET "title_tokens" = '' WHERE "kind" = 'reply' AND "title_tokens" <> '';
