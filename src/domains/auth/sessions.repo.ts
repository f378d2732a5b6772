import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { AUTH_CHANNEL } from './invalidation.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** A live (not revoked) session with the user it belongs to. */
export interface SessionUserRow {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  idle_timeout_minutes: number;
  email: string;
  name: string;
  role: string;
  must_change_password: boolean;
  disabled_at: Date | null;
}

export async function insertSession(
  db: Q,
  s: {
    id: string;
    userId: number;
    csrf: string;
    at: Date;
    expiresAt: Date;
    idleMinutes: number;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: s.id,
      user_id: s.userId,
      csrf_token: s.csrf,
      created_at: s.at,
      last_seen_at: s.at,
      expires_at: s.expiresAt,
      idle_timeout_minutes: s.idleMinutes,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

export async function findLive(db: Q, id: string): Promise<SessionUserRow | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.user_id',
      's.csrf_token',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      's.idle_timeout_minutes',
      'u.email',
      'u.name',
      'u.role',
      'u.must_change_password',
      'u.disabled_at',
    ])
    .where('s.id', '=', id)
    .where('s.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function touch(db: Q, id: string, at: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Revokes one session; returns whether it was live. */
export async function revoke(db: Q, id: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Revokes every live session of a user (but `keep`); returns the ids revoked. */
export async function revokeAllOf(db: Q, userId: number, at: Date, keep?: string): Promise<string[]> {
  let q = db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keep) q = q.where('id', '<>', keep);
  return (await q.returning('id').execute()).map((r) => r.id);
}

/** Drops a user's sessions that ended long ago (kept a while for the record, then useless). */
export async function purgeEnded(db: Q, userId: number, before: Date): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
    .execute();
}

/** Tells every AWA process (LISTEN awa_auth) to drop these cache keys; delivered on commit. */
export async function notifyInvalidated(db: Q, keys: string[]): Promise<void> {
  // a NOTIFY payload is limited to 8000 bytes: ~100 keys of 70 characters per message
  for (let i = 0; i < keys.length; i += 100) {
    await sql`SELECT pg_notify(${AUTH_CHANNEL}, ${keys.slice(i, i + 100).join(' ')})`.execute(db);
  }
}
