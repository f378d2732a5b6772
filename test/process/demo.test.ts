import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_TYPES } from '../../src/domains/decisions/tasks.types.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { baseEnv, killAll, parseOneJson, removeDir, runCli, tempDataDir } from '../helpers/proc.ts';

// `awa demo` as a newcomer runs it (`npm run demo`): the summary a person reads, the JSON a script
// reads, the exit codes, and the refusal to mix made-up data into a real business's database.
let empty: TestDatabase;
let taken: TestDatabase;
let dir: string;

beforeAll(async () => {
  [empty, taken] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  await taken.db.pool.query(`INSERT INTO vendors (name) VALUES ('Hamburger Kaffeekontor')`);
  dir = tempDataDir();
});

afterAll(async () => {
  await killAll();
  await empty?.drop();
  await taken?.drop();
  removeDir(dir);
});

const envFor = (t: TestDatabase) => baseEnv({ DATABASE_URL: t.url, AWA_DATA_DIR: dir });

describe('awa demo', () => {
  it('loads the demo, prints what it did and what to try next, then reports it unchanged as JSON', async () => {
    const r = await runCli(['demo'], envFor(empty), { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^Demo data loaded in [\d.]+ s \(amazon\.de, the 90 days up to \d{4}-\d{2}-\d{2}\)/,
    );
    expect(r.stdout).toContain('4 vendors, 500 products');
    expect(r.stdout).toContain('300 active listings');
    expect(r.stdout).toMatch(/Best offers by ROI \(NET: [^)]+\):\n\s+ASIN\s+ROI\s+BUY BOX\s+NET\s+LANDED/);
    expect(r.stdout).toContain('awa token create --role admin --name me');
    // it ends with where to sign in, and nothing is logged after it (the pool closes before the server)
    expect(r.stdout).toMatch(/\nOpen http:\/\/localhost:8000 and sign in as demo@awa\.example \/ \S{23}\n$/);
    expect(r.stderr).not.toMatch(/idle database connection lost/);
    expect(r.stdout).toContain('/api/v1/roi');
    for (const agent of ['scoring', 'repricer', 'restock', 'decisions'])
      expect(r.stdout).toMatch(new RegExp(`\\n  ${agent}: `));
    // the inbox it leaves: a task of every type, each with its count
    expect(r.stdout).toMatch(/\nDecision inbox: \d+ open tasks \(\d+ critical, \d+ warning, \d+ info\):\n/);
    for (const type of TASK_TYPES) expect(r.stdout).toMatch(new RegExp(`\\n  ${type} +[1-9]\\d*\\n`));
    expect(r.stdout).toMatch(/\n {2}[56] settlements \(\d+ order, fee and refund lines\)/);
    expect(r.stdout).toMatch(/, [1-9]\d* with a returns allowance from refunds/);
    expect(r.stdout).toMatch(
      /\n {2}11 repricer rules \(MAP on [^)]+\)\n {2}repricer guards in the last run: [^\n]*\bmap [1-9]/,
    );
    expect(r.stdout).toContain('1 held by rule');
    expect(r.stdout).toMatch(
      /\n {2}DEMO-PO-1 \(Rheinland Großhandel GmbH\): \d+ × AWA-[A-Z]+-\d{4} open; restock plan counts \d+ on order/,
    );

    const again = await runCli(['demo', '--json'], envFor(empty), { timeoutMs: 90_000 });
    expect(again.code, again.stderr).toBe(0);
    const s = parseOneJson(again.stdout);
    expect(s.status).toBe('unchanged');
    expect(s.counts).toMatchObject({ vendors: 4, products: 500, listings: 300, shipment_days: 90 });
    expect(s.counts).toMatchObject({ repricer_rules: 11, open_purchase_orders: 1 });
    expect((s.written as Record<string, number>).settlement).toBe(0);
    expect((s.best_offers as unknown[]).length).toBe(5);
    expect((s.inbox as { open: number }).open).toBeGreaterThanOrEqual(TASK_TYPES.length);
  }, 120_000);

  it('refuses a database with other vendors: exit 1, nothing written, --force named as the way out', async () => {
    const r = await runCli(['demo', '--json'], envFor(taken));
    expect(r.code).toBe(1);
    const out = parseOneJson(r.stdout) as { error: { code: string; message: string } };
    expect(out.error.code).toBe('conflict');
    expect(out.error.message).toContain('Hamburger Kaffeekontor');
    expect(r.stderr).toContain('--force');
    const { rows } = await taken.db.pool.query('SELECT count(*)::int AS n FROM products');
    expect(rows[0].n).toBe(0);
  });
});
