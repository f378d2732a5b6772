import { param, type Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';
import { AUTH_CHANNEL } from './invalidation.ts';

/** A live (not revoked) session with the user it belongs to. */
export type SessionUserRow = Pick<
  Tables['sessions'],
  'id' | 'user_id' | 'csrf_token' | 'created_at' | 'last_seen_at' | 'expires_at' | 'idle_timeout_minutes'
> &
  Pick<Tables['users'], 'email' | 'name' | 'role' | 'must_change_password' | 'disabled_at'>;

export async function insertSession(
  q: Queryable,
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
  await q.query(
    `INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, expires_at, idle_timeout_minutes,
                           ip, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [s.id, s.userId, s.csrf, s.at, s.at, s.expiresAt, s.idleMinutes, s.ip, s.userAgent],
  );
}

export async function findLive(q: Queryable, id: string): Promise<SessionUserRow | undefined> {
  const { rows } = await q.query<SessionUserRow>(
    `SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, s.idle_timeout_minutes,
            u.email, u.name, u.role, u.must_change_password, u.disabled_at
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = $1 AND s.revoked_at IS NULL`,
    [id],
  );
  return rows[0];
}

export async function touch(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query('UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id]);
}

/** Revokes one session; returns whether it was live. */
export async function revoke(q: Queryable, id: string, at: Date): Promise<boolean> {
  const r = await q.query('UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [
    at,
    id,
  ]);
  return (r.rowCount ?? 0) > 0;
}

/** Revokes every live session of a user (but `keep`); returns the ids revoked. */
export async function revokeAllOf(q: Queryable, userId: number, at: Date, keep?: string): Promise<string[]> {
  const values: unknown[] = [at, userId];
  const { rows } = await q.query<Pick<Tables['sessions'], 'id'>>(
    `UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL${
      keep ? ` AND id <> ${param(values, keep)}` : ''
    } RETURNING id`,
    values,
  );
  return rows.map((r) => r.id);
}

/** Drops a user's sessions that ended long ago (kept a while for the record, then useless). */
export async function purgeEnded(q: Queryable, userId: number, before: Date): Promise<void> {
  await q.query('DELETE FROM sessions WHERE user_id = $1 AND (expires_at < $2 OR revoked_at < $2)', [
    userId,
    before,
  ]);
}

/** Tells every AWA process (LISTEN awa_auth) to drop these cache keys; delivered on commit. */
export async function notifyInvalidated(q: Queryable, keys: string[]): Promise<void> {
  // a NOTIFY payload is limited to 8000 bytes: ~100 keys of 70 characters per message
  for (let i = 0; i < keys.length; i += 100) {
    await q.query('SELECT pg_notify($1, $2)', [AUTH_CHANNEL, keys.slice(i, i + 100).join(' ')]);
  }
}
