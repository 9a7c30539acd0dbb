-- Known wrong: the right two columns in the wrong order. With createdAt first, an author's
-- posts are not together in the index: "WHERE authorId = 42" reads the whole index (no Seq
-- Scan, yet every entry is visited), and "an author's latest ten" walks it from the newest
-- post until ten of theirs turn up.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_createdAt_authorId_idx" ON "Post" ("createdAt" DESC, "authorId");
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_published_createdAt_idx" ON "Post" ("createdAt" DESC) WHERE "status" = 'published';
