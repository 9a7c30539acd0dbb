-- Another correct answer: ascending columns (a B-tree is read backwards as cheaply as
-- forwards), with id added so that ties come out in a fixed order too.
CREATE INDEX CONCURRENTLY IF NOT EXISTS post_author_recent ON "Post" ("authorId", "createdAt", "id");
CREATE INDEX CONCURRENTLY IF NOT EXISTS post_published_recent ON "Post" ("createdAt", "id") WHERE "status" = 'published';
