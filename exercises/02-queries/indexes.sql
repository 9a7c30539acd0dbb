-- Indexes for the lesson's three queries on "Post". Applied one statement at a time (CREATE
-- INDEX CONCURRENTLY cannot run inside a transaction).
--
-- TODO: this is a popular tutorial's set of indexes. Read the plans the suite prints, then fix
-- it: which one is redundant, which one is not the partial index the listing needs, and why
-- does building them this way block every write to "Post" on a live database?

CREATE INDEX idx_posts_author_id ON "Post" ("authorId");
CREATE INDEX idx_posts_created_at ON "Post" ("createdAt" DESC);
CREATE INDEX idx_posts_author_created ON "Post" ("authorId", "createdAt" DESC);
CREATE INDEX idx_posts_status_created ON "Post" ("status", "createdAt" DESC);
