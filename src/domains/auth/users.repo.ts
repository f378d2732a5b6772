import type { Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';

export type UserRow = Pick<
  Tables['users'],
  | 'id'
  | 'email'
  | 'name'
  | 'role'
  | 'password_hash'
  | 'must_change_password'
  | 'disabled_at'
  | 'created_at'
  | 'password_changed_at'
  | 'last_login_at'
>;

/** UserRow's columns, for a SELECT or RETURNING list. */
export const USER_COLUMNS =
  'id, email, name, role, password_hash, must_change_password, disabled_at, created_at, password_changed_at, last_login_at';

export async function findByEmail(q: Queryable, email: string): Promise<UserRow | undefined> {
  const { rows } = await q.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = $1`, [
    email.toLowerCase(),
  ]);
  return rows[0];
}

export async function findById(q: Queryable, id: number): Promise<UserRow | undefined> {
  const { rows } = await q.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0];
}

export async function insertUser(
  q: Queryable,
  u: { email: string; name: string; role: string; hash: string; mustChange: boolean; at: Date },
): Promise<UserRow> {
  const { rows } = await q.query<UserRow>(
    `INSERT INTO users (email, name, role, password_hash, must_change_password, created_at, password_changed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${USER_COLUMNS}`,
    [u.email, u.name, u.role, u.hash, u.mustChange, u.at, u.at],
  );
  return rows[0]!;
}

export async function listUsers(q: Queryable): Promise<UserRow[]> {
  const { rows } = await q.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY lower(email)`);
  return rows;
}

export async function setPassword(
  q: Queryable,
  id: number,
  p: { hash: string; mustChange: boolean; at: Date },
): Promise<void> {
  await q.query(
    'UPDATE users SET password_hash = $1, must_change_password = $2, password_changed_at = $3 WHERE id = $4',
    [p.hash, p.mustChange, p.at, id],
  );
}

/** Same password, new parameters (see passwords.needsRehash): not a password change. */
export async function replaceHash(q: Queryable, id: number, hash: string): Promise<void> {
  await q.query('UPDATE users SET password_hash = $1 WHERE id = $2', [hash, id]);
}

export async function setDisabled(q: Queryable, id: number, at: Date | null): Promise<void> {
  await q.query('UPDATE users SET disabled_at = $1 WHERE id = $2', [at, id]);
}

/** Enabled again, with the admin role (the demo admin, whatever was done to it since). */
export async function restoreAdmin(q: Queryable, id: number): Promise<void> {
  await q.query(`UPDATE users SET disabled_at = NULL, role = 'admin' WHERE id = $1`, [id]);
}

export async function setLastLogin(q: Queryable, id: number, at: Date): Promise<void> {
  await q.query('UPDATE users SET last_login_at = $1 WHERE id = $2', [at, id]);
}

/** An audit event written directly (CLI commands: no request, no buffering worth having). */
export async function insertAuditEvent(
  q: Queryable,
  e: { at: Date; actor: string; role: string | null; event: string; route: string; details: unknown },
): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (at, actor, role, method, route, status, latency_ms, request_id, ip, event, details)
     VALUES ($1, $2, $3, 'CLI', $4, 0, 0, NULL, NULL, $5, $6)`,
    [e.at, e.actor, e.role, e.route, e.event, JSON.stringify(e.details)],
  );
}
