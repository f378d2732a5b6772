import type { Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';
import { USER_COLUMNS, type UserRow } from './users.repo.ts';

/**
 * The enabled admins, locked until the caller's transaction ends: two admins demoting or disabling
 * each other at the same moment must not both succeed and leave nobody who can manage users.
 */
export async function lockEnabledAdmins(q: Queryable): Promise<number[]> {
  const r = await q.query<{ id: number }>(`SELECT id FROM users
    WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE`);
  return r.rows.map((x) => Number(x.id));
}

/** The user with this stored e-mail (exactly as stored), locked until the caller's transaction ends. */
export async function lockUser(q: Queryable, email: string): Promise<UserRow | undefined> {
  const { rows } = await q.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1 FOR UPDATE`, [
    email,
  ]);
  return rows[0];
}

export async function setRole(q: Queryable, id: number, role: string): Promise<void> {
  await q.query('UPDATE users SET role = $1 WHERE id = $2', [role, id]);
}

/** The user's live sessions: their cached principals must be dropped when the role changes. */
export async function liveSessionIds(q: Queryable, userId: number): Promise<string[]> {
  const { rows } = await q.query<Pick<Tables['sessions'], 'id'>>(
    'SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL',
    [userId],
  );
  return rows.map((r) => r.id);
}
