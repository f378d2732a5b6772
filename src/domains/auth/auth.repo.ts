import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

export interface TokenRow {
  id: number;
  name: string;
  role: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = ['id', 'name', 'role', 'prefix', 'created_at', 'last_used_at', 'revoked_at'] as const;

export async function insertToken(
  db: Kysely<Database>,
  t: { name: string; role: string; hash: string; prefix: string },
): Promise<TokenRow> {
  return db
    .insertInto('api_tokens')
    .values({ name: t.name, role: t.role, token_hash: t.hash, prefix: t.prefix })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function findActiveByHash(db: Kysely<Database>, hash: string): Promise<TokenRow | undefined> {
  return db
    .selectFrom('api_tokens')
    .select(COLUMNS)
    .where('token_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function listTokens(db: Kysely<Database>, includeRevoked: boolean): Promise<TokenRow[]> {
  let q = db.selectFrom('api_tokens').select(COLUMNS);
  if (!includeRevoked) q = q.where('revoked_at', 'is', null);
  return q.orderBy('created_at').orderBy('id').execute();
}

/** Revokes the active token called `name`; returns its hash (to drop it from caches) or undefined. */
export async function revokeByName(db: Kysely<Database>, name: string): Promise<string | undefined> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: sql`now()` })
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .where('revoked_at', 'is', null)
    .returning('token_hash')
    .executeTakeFirst();
  return r?.token_hash;
}

export async function touchTokens(db: Kysely<Database>, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('api_tokens').set({ last_used_at: sql`now()` }).where('id', 'in', ids).execute();
}
