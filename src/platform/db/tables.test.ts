import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readColumns, renderTables, TABLES_FILE, tsType } from '../../../scripts/gen-db-types.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';

let t: TestDatabase;

beforeAll(async () => {
  // a clone of the run's template, which global setup migrated from migrations/*.sql just now
  t = await createTestDatabase();
});

afterAll(async () => {
  await t.drop();
});

describe('generated table types', () => {
  it('match the schema the migrations build', async () => {
    const fresh = renderTables(await readColumns(t.db.pool));
    const committed = readFileSync(TABLES_FILE, 'utf8');
    // a plain boolean first: a diff of 800 lines is no help, the command to run is
    expect(fresh === committed, 'tables.gen.ts is out of date: run npm run gen:db').toBe(true);
  });

  it('mark columns with a default as optional on insert and nullable columns as null', () => {
    const text = readFileSync(TABLES_FILE, 'utf8');
    const users = /export interface UsersTable \{[^}]*\}/.exec(text)?.[0] ?? '';
    expect(users).toContain('id: Generated<number>;');
    expect(users).toContain('email: string;');
    expect(users).toContain('disabled_at: Timestamp | null;');
  });

  it('refuse a Postgres type they have no mapping for instead of guessing', () => {
    expect(() => tsType('tsvector')).toThrow(/no TS type for Postgres type tsvector/);
    expect(tsType('_text')).toBe('string[]');
  });

  // the mapping in gen-db-types.ts claims what node-pg returns with pool.ts's parsers: check it
  it('use the types the pool really returns', async () => {
    const { rows } = await t.db.pool.query(
      `SELECT 1::int8 AS i8, 2::int4 AS i4, 1.50::numeric AS num, '2024-03-01'::date AS d,
              now() AS ts, '{"a": 1}'::jsonb AS j, ARRAY[1, 2]::int8[] AS i8s,
              ARRAY[1.5]::numeric[] AS nums, ARRAY['x']::text[] AS texts`,
    );
    const r = rows[0];
    expect(typeof r.i8).toBe('number');
    expect(typeof r.i4).toBe('number');
    expect(r.num).toBe('1.50');
    expect(r.d).toBeInstanceOf(Date);
    expect(r.ts).toBeInstanceOf(Date);
    expect(r.j).toEqual({ a: 1 });
    expect(r.i8s).toEqual(['1', '2']);
    expect(r.nums).toEqual([1.5]);
    expect(r.texts).toEqual(['x']);
    expect([tsType('int8'), tsType('numeric'), tsType('_int8'), tsType('_numeric')]).toEqual([
      'number',
      'Numeric',
      'string[]',
      'number[]',
    ]);
  });
});
