-- Thread and reply documents: their languages by the share of words in each script, as
-- detectLanguages (app/models/search.server.ts) now decides them: Latin words, Han characters at
-- 1.6 to a word, a language kept at 30% or more, links and e-mail addresses left out.
WITH texts AS (
  SELECT id,
         regexp_replace(CASE WHEN kind = 'reply' THEN body ELSE title || E'\n' || body END,
                        '(https?://|www\.)\S+|\S+@\S+\.\S+', ' ', 'gi') AS words
  FROM "search_documents"
  WHERE kind IN ('thread', 'reply')
), counts AS (
  SELECT id,
         (SELECT count(*) FROM regexp_matches(words, '[A-Za-z][A-Za-z''’-]*[A-Za-z]', 'g'))::float AS en,
         (SELECT count(*) FROM regexp_matches(words, '[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]', 'g'))::float / 1.6 AS zh
  FROM texts
)
UPDATE "search_documents" d SET languages = CASE
    WHEN c.en + c.zh = 0 THEN ARRAY['en']
    WHEN c.en / (c.en + c.zh) >= 0.3 AND c.zh / (c.en + c.zh) >= 0.3 THEN ARRAY['en', 'zh']
    WHEN c.zh > c.en THEN ARRAY['zh']
    ELSE ARRAY['en']
  END
FROM counts c
WHERE d.id = c.id;
