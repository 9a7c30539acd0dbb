// WRONG (stale shared state): "selecting less" plus a module-level memo of each page, keyed by
// skip/take, never invalidated and never bounded. After a user changes name or tier, or a new
// user signs up, every later call keeps returning the first answer for that page, for the life
// of the process; and every distinct (skip, take) a client asks for stays in memory forever.
import type { PrismaClient } from '../../../shared/db/clients.ts';

export interface PublicUser {
  id: number;
  name: string;
  tier: string;
  createdAt: Date;
}

const pages = new Map<string, Promise<PublicUser[]>>();

export async function listPublicUsers(prisma: PrismaClient, { skip = 0, take }: { skip?: number; take: number }): Promise<PublicUser[]> {
  const key = `${skip}:${take}`;
  let page = pages.get(key);
  if (!page) {
    page = prisma.user.findMany({ skip, take, orderBy: { id: 'asc' }, select: { id: true, name: true, tier: true, createdAt: true } });
    pages.set(key, page);
  }
  return page;
}
