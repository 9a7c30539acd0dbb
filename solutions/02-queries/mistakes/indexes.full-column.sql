-- Known wrong (errata 8): (status, createdAt) indexes every post, drafts and archived ones
-- included; the listing needs the partial index WHERE status = 'published'.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_authorId_createdAt_idx" ON "Post" ("authorId", "createdAt" DESC);
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_status_createdAt_idx" ON "Post" ("status", "createdAt" DESC);
