/*
  RIGHT: the lesson's two indexes, documented in a block comment. Valid SQL; a statement
  splitter that only strips "--" comments will cut this comment at the semicolon below;
  psql and Postgres accept the file as is.
*/
CREATE INDEX CONCURRENTLY idx_post_author_created ON "Post" ("authorId", "createdAt" DESC);
CREATE INDEX CONCURRENTLY idx_post_published_created ON "Post" ("createdAt" DESC) WHERE "status" = 'published';
