import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminUrl, createTestDatabase, type TestDatabase, urlFor } from '../../../test/helpers/db.ts';
import { loadMigrations, migrate, migrationStatus } from './migrate.ts';

const CORE_TABLES = [
  'vendors',
  'vendor_prices',
  'vendor_price_history',
  'price_lists',
  'products',
  'product_identifiers',
  'fx_rates',
  'fees',
  'fees_history',
  'buybox_history',
  'product_metrics',
  'load_log',
  'agent_runs',
  'users',
  'api_tokens',
  'audit_log',
];

/** An empty database (not cloned from the migrated template). */
async function emptyDatabase(): Promise<{ pool: pg.Pool; drop(): Promise<void> }> {
  const name = `${inject('dbPrefix')}empty_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: urlFor(name), max: 4 });
  return {
    pool,
    drop: async () => {
      await pool.end();
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'awa-mig-'));
  made.push(dir);
  for (const [f, sql] of Object.entries(files)) writeFileSync(path.join(dir, f), sql);
  return dir;
}

describe('the core migration', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb.drop();
  });

  it('creates every core table of the data model', async () => {
    const { rows } = await tdb.db.pool.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    const tables = rows.map((r) => r.table_name);
    expect(tables).toEqual(expect.arrayContaining(CORE_TABLES));
  });

  it('keys marketplace-specific tables by marketplace', async () => {
    const { rows } = await tdb.db.pool.query(
      `
      SELECT tc.table_name, string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position) AS cols
      FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage kcu USING (constraint_name, table_schema, table_name)
      WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_name = ANY($1)
      GROUP BY tc.table_name`,
      [['fees', 'buybox_history', 'product_metrics', 'fees_history']],
    );
    for (const r of rows) expect(r.cols.split(',')[0], r.table_name).toBe('marketplace');
    expect(rows).toHaveLength(4);
  });

  it('enforces the rules in the schema: unique vendor names, positive costs, valid ASINs', async () => {
    const q = (sql: string, params: unknown[] = []) => tdb.db.pool.query(sql, params);
    await q("INSERT INTO vendors (name) VALUES ('ACME GmbH')");
    await expect(q("INSERT INTO vendors (name) VALUES ('acme gmbh')")).rejects.toMatchObject({
      code: '23505',
    });
    await expect(
      q("INSERT INTO vendor_prices (vendor_id, sku, cost, currency) SELECT id, 'A1', 0, 'EUR' FROM vendors"),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(q("INSERT INTO products (asin) VALUES ('b01-short')")).rejects.toMatchObject({
      code: '23514',
    });
  });
});

describe('migrate()', () => {
  it('applies all migrations to an empty database, then reports them applied', async () => {
    const db = await emptyDatabase();
    try {
      const before = await migrationStatus(db.pool);
      expect(before.every((s) => s.state === 'pending')).toBe(true);
      const ran = await migrate(db.pool);
      expect(ran).toEqual(loadMigrations().map((m) => m.file));
      expect(await migrate(db.pool)).toEqual([]); // idempotent
      const after = await migrationStatus(db.pool);
      expect(after.every((s) => s.state === 'applied' && s.applied_at)).toBe(true);
    } finally {
      await db.drop();
    }
  });

  it('serialises concurrent migrators (two processes starting together)', async () => {
    const db = await emptyDatabase();
    try {
      const [a, b] = await Promise.all([migrate(db.pool), migrate(db.pool)]);
      expect([...a, ...b].sort()).toEqual(loadMigrations().map((m) => m.file));
    } finally {
      await db.drop();
    }
  });

  it('rolls back a failing migration and keeps earlier ones', async () => {
    const db = await emptyDatabase();
    const dir = migrationsDir({
      '0001_ok.sql': 'CREATE TABLE a (id int);',
      '0002_bad.sql': 'CREATE TABLE b (id int); INSERT INTO nope VALUES (1);',
    });
    try {
      await expect(migrate(db.pool, { dir })).rejects.toThrow(/0002_bad\.sql failed: relation "nope"/);
      const { rows } = await db.pool.query("SELECT to_regclass('a') AS a, to_regclass('b') AS b");
      expect(rows[0]).toEqual({ a: 'a', b: null });
      expect((await migrationStatus(db.pool, dir)).map((s) => s.state)).toEqual(['applied', 'pending']);
    } finally {
      await db.drop();
    }
  });

  it('refuses a migration edited after it was applied', async () => {
    const db = await emptyDatabase();
    const dir = migrationsDir({ '0001_ok.sql': 'CREATE TABLE a (id int);' });
    try {
      await migrate(db.pool, { dir });
      writeFileSync(path.join(dir, '0001_ok.sql'), 'CREATE TABLE a (id bigint);');
      await expect(migrate(db.pool, { dir })).rejects.toThrow(/0001_ok\.sql changed after it was applied/);
    } finally {
      await db.drop();
    }
  });

  it('rejects badly named migration files', () => {
    const dir = migrationsDir({ 'add_stuff.sql': 'SELECT 1;' });
    expect(() => loadMigrations(dir)).toThrow(/0001_name\.sql/);
  });
});
