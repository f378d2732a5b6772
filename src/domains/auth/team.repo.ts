import { sql, type Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

type Tx = Transaction<Database>;

/**
 * The enabled admins, locked until the transaction ends: two admins demoting or disabling each
 * other at the same moment must not both succeed and leave nobody who can manage users.
 */
export async function lockEnabledAdmins(tx: Tx): Promise<number[]> {
  const r = await sql<{ id: string }>`SELECT id FROM users
    WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE`.execute(tx);
  return r.rows.map((x) => Number(x.id));
}

export async function setRole(tx: Tx, id: number, role: string): Promise<void> {
  await tx.updateTable('users').set({ role }).where('id', '=', id).execute();
}

/** The user's live sessions: their cached principals must be dropped when the role changes. */
export async function liveSessionIds(tx: Tx, userId: number): Promise<string[]> {
  const rows = await tx
    .selectFrom('sessions')
    .select('id')
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}
