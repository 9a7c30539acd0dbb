-- The course domain, matching schema.prisma (Prisma's default names: quoted model names).
-- Deliberately no secondary indexes: lesson 02 has the learner add them and read the plans.
CREATE TYPE "Tier" AS ENUM ('free', 'basic', 'pro');
CREATE TYPE "PostStatus" AS ENUM ('draft', 'published', 'archived');

CREATE TABLE "User" (
  "id"           SERIAL PRIMARY KEY,
  "name"         TEXT NOT NULL,
  "email"        TEXT NOT NULL UNIQUE,
  "passwordHash" TEXT NOT NULL,
  "tier"         "Tier" NOT NULL DEFAULT 'free',
  "createdAt"    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "Post" (
  "id"        SERIAL PRIMARY KEY,
  "title"     TEXT NOT NULL,
  "content"   TEXT NOT NULL,
  "status"    "PostStatus" NOT NULL DEFAULT 'draft',
  "authorId"  INTEGER NOT NULL REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "Category" (
  "id"   SERIAL PRIMARY KEY,
  "name" TEXT NOT NULL UNIQUE
);

CREATE TABLE "Product" (
  "id"         SERIAL PRIMARY KEY,
  "name"       TEXT NOT NULL,
  "price"      DECIMAL(10, 2) NOT NULL,
  "categoryId" INTEGER NOT NULL REFERENCES "Category"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  "viewCount"  INTEGER NOT NULL DEFAULT 0,
  "salesCount" INTEGER NOT NULL DEFAULT 0,
  "updatedAt"  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
