-- Known wrong (errata 8): (authorId) beside (authorId, createdAt): the composite index already
-- serves every lookup by authorId; the extra one only slows writes.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_authorId_idx" ON "Post" ("authorId");
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_authorId_createdAt_idx" ON "Post" ("authorId", "createdAt" DESC);
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_published_createdAt_idx" ON "Post" ("createdAt" DESC) WHERE "status" = 'published';
