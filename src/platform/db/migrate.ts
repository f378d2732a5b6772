import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { projectRoot } from '../paths.ts';

export const MIGRATIONS_DIR = path.join(projectRoot(), 'migrations');

export interface Migration {
  version: string;
  name: string;
  file: string;
  checksum: string;
  sql: string;
}

export interface MigrationStatus {
  version: string;
  name: string;
  state: 'applied' | 'pending';
  applied_at: string | null;
}

// Any number: it only has to be the same for every AWA process sharing the database.
const LOCK_KEY = 727_001;

/** `NNNN_name.sql` files in version order. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!m) throw new AppError('config', `migration file name must look like 0001_name.sql: ${file}`);
      const sql = readFileSync(path.join(dir, file), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      return { version: m[1]!, name: m[2]!, file, checksum, sql };
    });
}

async function ensureTable(client: pg.PoolClient): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now())`);
}

async function applied(client: pg.PoolClient): Promise<Map<string, { checksum: string; applied_at: Date }>> {
  const { rows } = await client.query('SELECT version, checksum, applied_at FROM schema_migrations');
  return new Map(rows.map((r) => [r.version as string, r]));
}

export async function migrationStatus(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<MigrationStatus[]> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query("SELECT to_regclass('schema_migrations') AS t");
    const done = rows[0].t ? await applied(client) : new Map();
    return loadMigrations(dir).map((m) => {
      const a = done.get(m.version);
      return {
        version: m.version,
        name: m.name,
        state: a ? 'applied' : 'pending',
        applied_at: a ? new Date(a.applied_at).toISOString() : null,
      };
    });
  } finally {
    client.release();
  }
}

/**
 * Applies pending migrations, each in its own transaction. An advisory lock serialises processes
 * that start together (api + worker); a landed migration edited afterwards is refused, because the
 * databases that already ran it would silently differ from new ones.
 */
export async function migrate(pool: pg.Pool, opts: { dir?: string; log?: Logger } = {}): Promise<string[]> {
  const all = loadMigrations(opts.dir);
  const client = await pool.connect();
  const ran: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await ensureTable(client);
    const done = await applied(client);
    for (const m of all) {
      const a = done.get(m.version);
      if (a) {
        if (a.checksum !== m.checksum) {
          throw new AppError(
            'config',
            `migration ${m.file} changed after it was applied; add a new migration instead of editing it`,
          );
        }
        continue;
      }
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new AppError('internal', `migration ${m.file} failed: ${(err as Error).message}`);
      }
      opts.log?.info({ migration: m.file }, 'migration applied');
      ran.push(m.file);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    client.release();
  }
  return ran;
}
