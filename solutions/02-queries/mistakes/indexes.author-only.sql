-- Known wrong: an index on authorId alone finds an author's posts, but then every one of them
-- is sorted to find the latest ten.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_authorId_idx" ON "Post" ("authorId");
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_published_createdAt_idx" ON "Post" ("createdAt" DESC) WHERE "status" = 'published';
