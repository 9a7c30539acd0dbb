// Known wrong: the response is right, but every private column is still read from the
// database and held in memory, then deleted in JavaScript.
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PublicUser } from '../public-users.ts';

export type { PublicUser };

export async function listPublicUsers(prisma: PrismaClient, { skip = 0, take }: { skip?: number; take: number }): Promise<PublicUser[]> {
  const users = await prisma.user.findMany({ skip, take, orderBy: { id: 'asc' } });
  return users.map(({ email: _email, passwordHash: _hash, ...publicFields }) => publicFields);
}
