import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface UserRow {
  id: number;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  must_change_password: boolean;
  disabled_at: Date | null;
  created_at: Date;
  password_changed_at: Date;
  last_login_at: Date | null;
}

const COLUMNS = [
  'id',
  'email',
  'name',
  'role',
  'password_hash',
  'must_change_password',
  'disabled_at',
  'created_at',
  'password_changed_at',
  'last_login_at',
] as const;

export async function findByEmail(db: Q, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .select(COLUMNS)
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

export async function findById(db: Q, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function insertUser(
  db: Q,
  u: { email: string; name: string; role: string; hash: string; mustChange: boolean; at: Date },
): Promise<UserRow> {
  return db
    .insertInto('users')
    .values({
      email: u.email,
      name: u.name,
      role: u.role,
      password_hash: u.hash,
      must_change_password: u.mustChange,
      created_at: u.at,
      password_changed_at: u.at,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function listUsers(db: Q): Promise<UserRow[]> {
  return db.selectFrom('users').select(COLUMNS).orderBy(sql`lower(email)`).execute();
}

export async function setPassword(
  db: Q,
  id: number,
  p: { hash: string; mustChange: boolean; at: Date },
): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: p.hash, must_change_password: p.mustChange, password_changed_at: p.at })
    .where('id', '=', id)
    .execute();
}

/** Same password, new parameters (see passwords.needsRehash): not a password change. */
export async function replaceHash(db: Q, id: number, hash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash }).where('id', '=', id).execute();
}

export async function setDisabled(db: Q, id: number, at: Date | null): Promise<void> {
  await db.updateTable('users').set({ disabled_at: at }).where('id', '=', id).execute();
}

/** Enabled again, with the admin role (the demo admin, whatever was done to it since). */
export async function restoreAdmin(db: Q, id: number): Promise<void> {
  await db.updateTable('users').set({ disabled_at: null, role: 'admin' }).where('id', '=', id).execute();
}

export async function setLastLogin(db: Q, id: number, at: Date): Promise<void> {
  await db.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute();
}

/** An audit event written directly (CLI commands: no request, no buffering worth having). */
export async function insertAuditEvent(
  db: Q,
  e: { at: Date; actor: string; role: string | null; event: string; route: string; details: unknown },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: e.at,
      actor: e.actor,
      role: e.role,
      method: 'CLI',
      route: e.route,
      status: 0,
      latency_ms: 0,
      request_id: null,
      ip: null,
      event: e.event,
      details: JSON.stringify(e.details),
    })
    .execute();
}
