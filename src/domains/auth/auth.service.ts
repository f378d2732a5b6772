import { createHash, randomBytes } from 'node:crypto';
import type { Cache } from '../../platform/cache.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './auth.repo.ts';

export const ROLES = ['viewer', 'ops', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  id: number;
  name: string;
  role: Role;
}

export interface TokenInfo {
  name: string;
  role: Role;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const RANK: Record<Role, number> = { viewer: 0, ops: 1, admin: 2 };
// Short enough that a revoke from the CLI (another process, in-memory cache) takes effect quickly.
const CACHE_TTL_SECONDS = 5;

export function hasRole(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function parseRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new AppError('invalid', `role must be one of ${ROLES.join(', ')} (got "${role}")`);
  }
  return role as Role;
}

function info(r: repo.TokenRow): TokenInfo {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    name: r.name,
    role: r.role as Role,
    prefix: r.prefix,
    created_at: iso(r.created_at)!,
    last_used_at: iso(r.last_used_at),
    revoked_at: iso(r.revoked_at),
  };
}

/** Creates a token; the plain value is returned once and only its hash is stored. */
export async function createToken(
  db: Db,
  input: { name: string; role: string },
): Promise<{ name: string; role: Role; token: string }> {
  const role = parseRole(input.role);
  const name = input.name.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(name)) {
    throw new AppError(
      'invalid',
      `token name "${input.name}" must be 1-64 characters of letters, digits, '.', '_', '@' or '-'`,
    );
  }
  // 32 random bytes: unguessable, so a fast hash (not bcrypt) is safe and keeps auth cheap per request
  const token = `awa_${randomBytes(32).toString('base64url')}`;
  try {
    await repo.insertToken(db.kysely, { name, role, hash: hashToken(token), prefix: token.slice(0, 8) });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new AppError(
        'conflict',
        `a token named "${name}" already exists; revoke it first or pick another name`,
      );
    }
    throw err;
  }
  return { name, role, token };
}

export async function listTokens(db: Db, includeRevoked = false): Promise<TokenInfo[]> {
  return (await repo.listTokens(db.kysely, includeRevoked)).map(info);
}

export async function revokeToken(db: Db, cache: Cache, name: string): Promise<void> {
  const hash = await repo.revokeByName(db.kysely, name);
  if (!hash) throw new AppError('not_found', `no active token named "${name}"`);
  await cache.del(`tok:${hash}`);
}

/**
 * Resolves a bearer token to its principal. Results (including "unknown") are cached briefly so
 * the hot path costs one cache read, and last-use times are written in batches, not per request.
 */
export class Authenticator {
  private readonly used = new Set<number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly cache: Cache,
  ) {}

  async authenticate(token: string): Promise<Principal | undefined> {
    if (!token.startsWith('awa_') || token.length > 100) return undefined;
    const hash = hashToken(token);
    const key = `tok:${hash}`;
    // A cache outage (Redis down) must not lock everyone out: fall back to the database.
    let p = await this.cache.get<Principal | null>(key).catch(() => undefined);
    if (p === undefined) {
      const row = await repo.findActiveByHash(this.db.kysely, hash);
      p = row ? { id: row.id, name: row.name, role: row.role as Role } : null;
      await this.cache.set(key, p, CACHE_TTL_SECONDS).catch(() => {});
    }
    if (!p) return undefined;
    this.used.add(p.id);
    this.timer ??= setTimeout(() => void this.flush(), 10_000).unref();
    return p;
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const ids = [...this.used];
    this.used.clear();
    await repo.touchTokens(this.db.kysely, ids).catch(() => {});
  }
}
