// The least a writer needs from a connection: `query(text, values)` → rows. A plain pg client or
// pool is one; a Prisma transaction becomes one through prismaQueryable. Writers that both kinds
// of caller use (the audit append, the outbox) are written once against it.
import type { Tx } from '@/lib/db';

export type Queryable = { query: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }> };

/** A Prisma transaction as a Queryable (statements must return rows Prisma can read: no bare void). */
export const prismaQueryable = (tx: Tx): Queryable => ({
  query: async (text, values = []) => ({ rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values) }),
});
