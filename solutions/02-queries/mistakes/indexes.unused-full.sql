-- Known wrong (a full ("createdAt" DESC) index beside the partial one: no query uses it, every write pays for it).
-- Indexes for the lesson's three queries on "Post". Applied one statement at a time (CREATE
-- INDEX CONCURRENTLY cannot run inside a transaction).

-- An author's posts, and an author's latest posts: equality on the first column, then the
-- rows already in createdAt order, so "ORDER BY createdAt DESC LIMIT n" reads n entries and
-- needs no sort. It also serves "WHERE authorId = …" alone, so no separate (authorId) index.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_authorId_createdAt_idx"
  ON "Post" ("authorId", "createdAt" DESC);

-- The public listing only ever shows published posts: a partial index holds just those rows
-- (about 60% of the table here, far less in most real ones) in the order the listing wants.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_published_createdAt_idx"
  ON "Post" ("createdAt" DESC)
  WHERE "status" = 'published';

-- And the tutorial's full index on createdAt, kept "in case".
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Post_createdAt_idx" ON "Post" ("createdAt" DESC);
