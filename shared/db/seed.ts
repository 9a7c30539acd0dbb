// The course's deterministic data: the same rows, ids and timestamps on every machine, so
// query counts, plans and measured numbers are reproducible. Changing this file (or a
// migration) makes the harness rebuild its template database.
import type pg from 'pg';

export const SEED_SIZES = { users: 2_000, posts: 50_000, categories: 50, products: 5_000 } as const;

/** The newest post time; everything is dated before it. */
export const SEED_EPOCH = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

/** mulberry32: a small, fast PRNG with a fixed seed, so every run draws the same numbers. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Radia', 'Tim', 'Frances', 'Alan', 'Hedy'];
const LAST = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Perlman', 'Lee', 'Allen', 'Kay', 'Lamarr'];
const WORDS = ['fast', 'cache', 'query', 'index', 'pool', 'stream', 'worker', 'cluster', 'memory', 'latency', 'throughput', 'node', 'postgres', 'redis', 'profile', 'batch'];

export interface SeedData {
  users: { id: number; name: string; email: string; passwordHash: string; tier: string; createdAt: Date }[];
  posts: { id: number; title: string; content: string; status: string; authorId: number; createdAt: Date }[];
  categories: { id: number; name: string }[];
  products: { id: number; name: string; price: string; categoryId: number; viewCount: number; salesCount: number; updatedAt: Date }[];
}

export function generateSeedData(): SeedData {
  const random = createRandom(20260101);
  const int = (max: number) => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const hex = (n: number) => Array.from({ length: n }, () => int(16).toString(16)).join('');

  const users = Array.from({ length: SEED_SIZES.users }, (_, i) => ({
    id: i + 1,
    name: `${pick(FIRST)} ${pick(LAST)}`,
    email: `user${i + 1}@example.test`,
    passwordHash: `$scrypt$N=16384$${hex(16)}$${hex(64)}`,
    tier: random() < 0.7 ? 'free' : random() < 0.7 ? 'basic' : 'pro',
    createdAt: new Date(SEED_EPOCH - (365 + int(365)) * 24 * 60 * MINUTE),
  }));

  // Post times fall on whole minutes within 60 days, so many posts share a createdAt: a
  // pager that orders by createdAt alone meets real ties. The first 100 share one instant.
  const tiedInstant = new Date(SEED_EPOCH - 7 * 24 * 60 * MINUTE);
  const posts = Array.from({ length: SEED_SIZES.posts }, (_, i) => {
    const roll = random();
    return {
      id: i + 1,
      title: `${words(3 + int(4))} #${i + 1}`,
      content: words(20 + int(40)),
      status: roll < 0.6 ? 'published' : roll < 0.9 ? 'draft' : 'archived',
      // Authors are skewed: low ids write more, as real users do.
      authorId: 1 + Math.floor(SEED_SIZES.users * random() ** 2),
      createdAt: i < 100 ? tiedInstant : new Date(SEED_EPOCH - int(60 * 24 * 60) * MINUTE),
    };
  });

  const categories = Array.from({ length: SEED_SIZES.categories }, (_, i) => ({
    id: i + 1,
    name: `${pick(WORDS)}-${pick(WORDS)}-${i + 1}`,
  }));

  const products = Array.from({ length: SEED_SIZES.products }, (_, i) => ({
    id: i + 1,
    name: `${words(2)} ${pick(['kit', 'pack', 'box', 'set'])} ${i + 1}`,
    price: (1 + int(99_999) / 100).toFixed(2),
    categoryId: 1 + int(SEED_SIZES.categories),
    viewCount: Math.floor(100_000 * random() ** 4),
    salesCount: Math.floor(5_000 * random() ** 3),
    updatedAt: new Date(SEED_EPOCH - int(90 * 24 * 60) * MINUTE),
  }));

  return { users, posts, categories, products };
}

/**
 * Inserts the seed into an empty, migrated database: one INSERT … SELECT unnest(…) per table
 * (a handful of round trips for 57,000 rows), explicit ids, then the sequences moved past them.
 */
export async function seed(client: pg.ClientBase): Promise<void> {
  const data = generateSeedData();
  // Dates go as UTC ISO strings: pg would send a Date in the machine's local zone, and a
  // `timestamp` column would keep that wall-clock time, so data would depend on TZ.
  const column = <R, K extends keyof R>(rows: R[], key: K) =>
    rows.map((row) => (row[key] instanceof Date ? (row[key] as Date).toISOString() : row[key]));

  await client.query(
    `INSERT INTO "User" ("id", "name", "email", "passwordHash", "tier", "createdAt")
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::"Tier"[], $6::timestamp(3)[])`,
    [column(data.users, 'id'), column(data.users, 'name'), column(data.users, 'email'),
      column(data.users, 'passwordHash'), column(data.users, 'tier'), column(data.users, 'createdAt')],
  );
  await client.query(
    `INSERT INTO "Post" ("id", "title", "content", "status", "authorId", "createdAt")
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::"PostStatus"[], $5::int[], $6::timestamp(3)[])`,
    [column(data.posts, 'id'), column(data.posts, 'title'), column(data.posts, 'content'),
      column(data.posts, 'status'), column(data.posts, 'authorId'), column(data.posts, 'createdAt')],
  );
  await client.query(
    `INSERT INTO "Category" ("id", "name") SELECT * FROM unnest($1::int[], $2::text[])`,
    [column(data.categories, 'id'), column(data.categories, 'name')],
  );
  await client.query(
    `INSERT INTO "Product" ("id", "name", "price", "categoryId", "viewCount", "salesCount", "updatedAt")
     SELECT * FROM unnest($1::int[], $2::text[], $3::numeric[], $4::int[], $5::int[], $6::int[], $7::timestamp(3)[])`,
    [column(data.products, 'id'), column(data.products, 'name'), column(data.products, 'price'),
      column(data.products, 'categoryId'), column(data.products, 'viewCount'),
      column(data.products, 'salesCount'), column(data.products, 'updatedAt')],
  );
  for (const table of ['User', 'Post', 'Category', 'Product']) {
    await client.query(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT max("id") FROM "${table}"))`);
  }
  await client.query('ANALYZE');
}
