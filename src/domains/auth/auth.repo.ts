import type { Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';

export type TokenRow = Pick<
  Tables['api_tokens'],
  'id' | 'name' | 'role' | 'prefix' | 'created_at' | 'last_used_at' | 'revoked_at'
>;

const COLUMNS = 'id, name, role, prefix, created_at, last_used_at, revoked_at';

export async function insertToken(
  q: Queryable,
  t: { name: string; role: string; hash: string; prefix: string },
): Promise<TokenRow> {
  const { rows } = await q.query<TokenRow>(
    `INSERT INTO api_tokens (name, role, token_hash, prefix) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
    [t.name, t.role, t.hash, t.prefix],
  );
  return rows[0]!;
}

export async function findActiveByHash(q: Queryable, hash: string): Promise<TokenRow | undefined> {
  const { rows } = await q.query<TokenRow>(
    `SELECT ${COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
    [hash],
  );
  return rows[0];
}

export async function listTokens(q: Queryable, includeRevoked: boolean): Promise<TokenRow[]> {
  const { rows } = await q.query<TokenRow>(
    `SELECT ${COLUMNS} FROM api_tokens ${includeRevoked ? '' : 'WHERE revoked_at IS NULL '}ORDER BY created_at, id`,
  );
  return rows;
}

/** Revokes the active token called `name`; returns its hash (to drop it from caches) or undefined. */
export async function revokeByName(q: Queryable, name: string): Promise<string | undefined> {
  const { rows } = await q.query<Pick<Tables['api_tokens'], 'token_hash'>>(
    `UPDATE api_tokens SET revoked_at = now() WHERE lower(name) = $1 AND revoked_at IS NULL
     RETURNING token_hash`,
    [name.toLowerCase()],
  );
  return rows[0]?.token_hash;
}

export async function touchTokens(q: Queryable, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query('UPDATE api_tokens SET last_used_at = now() WHERE id = ANY($1::bigint[])', [ids]);
}
