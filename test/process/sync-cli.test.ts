import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeReports, fakeReportsEnv, startFakeReports } from '../fakes/spapi-reports.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { freePort } from '../helpers/net.ts';
import { baseEnv, type Env, parseOneJson, removeDir, runCli, tempDataDir } from '../helpers/proc.ts';

// `awa sync …` as an operator runs it against SP-API (here the local stand-in, in real time):
// a backfill of every type, the JSON the issue specifies, status, and clear refusals.
let testDb: TestDatabase;
let dataDir: string;
let api: FakeReports;
let env: Env;

beforeAll(async () => {
  [testDb, api] = await Promise.all([createTestDatabase(), startFakeReports({ polls: 0 })]);
  dataDir = tempDataDir();
  env = baseEnv({
    DATABASE_URL: testDb.url,
    AWA_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    ...fakeReportsEnv(api),
  });
  api.addSettlement('US', Date.now() - 5 * 86_400_000, {
    start: Date.now() - 19 * 86_400_000,
    end: Date.now() - 5 * 86_400_000,
  });
});

afterAll(async () => {
  await api?.close();
  await testDb?.drop();
  removeDir(dataDir);
});

describe('awa sync', () => {
  it('run --all backfills every type; a second run asks only for what is new', async () => {
    const r = await runCli(['sync', 'run', '--all', '--json'], env, { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const out = parseOneJson(r.stdout) as { status: string; runs: Record<string, unknown>[] };
    expect(Object.keys(out)).toEqual(['status', 'runs']);
    expect(out.status).toBe('success');
    expect(out.runs).toHaveLength(3 * 3 + 3 + 1);
    for (const run of out.runs) {
      expect(Object.keys(run)).toEqual(['type', 'marketplace', 'status', 'rows', 'window']);
      expect(run).toMatchObject({ marketplace: 'US', status: 'loaded' });
    }
    const creates = api.count('createReport');
    expect(creates).toBe(12);

    const status = await runCli(['sync', 'status', '--json'], env);
    expect(status.code, status.stderr).toBe(0);
    const s = parseOneJson(status.stdout) as {
      items: { name: string; fresh: boolean; rows_loaded: number }[];
    };
    expect(s.items.map((i) => i.name)).toEqual([
      'listings',
      'inventory',
      'returns',
      'reimbursements',
      'fee_preview',
      'ledger',
      'settlements',
    ]);
    expect(s.items.every((i) => i.fresh && i.rows_loaded > 0)).toBe(true);
    const human = await runCli(['sync', 'status'], env);
    expect(human.stdout).toMatch(/^TYPE\s+MP\s+LAST WINDOW/);

    // the same day again: nothing is due, and even forced, no window holds a new day
    const again = await runCli(['sync', 'run', '--all', '--json'], env);
    expect(again.code, again.stderr).toBe(0);
    const idle = parseOneJson(again.stdout) as { runs: { status: string }[] };
    expect(idle.runs.every((r) => r.status === 'up_to_date')).toBe(true);
    const forced = await runCli(['sync', 'run', 'ledger', '--force', '--json'], env);
    expect(parseOneJson(forced.stdout)).toMatchObject({
      status: 'success',
      runs: [{ status: 'up_to_date' }],
    });
    // a snapshot is asked for again when forced
    const listings = await runCli(['sync', 'run', 'listings', '--force', '--json'], env);
    expect(parseOneJson(listings.stdout)).toMatchObject({ runs: [{ status: 'loaded', window: null }] });
    expect(api.count('createReport')).toBe(creates + 1);
  });

  it('refuses bad input with a clear message and a non-zero exit', async () => {
    const unknown = await runCli(['sync', 'run', 'GET_NOPE'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown report type "GET_NOPE"; known: listings/);
    const since = await runCli(['sync', 'run', 'ledger', '--since', '2026-13-45'], env);
    expect(since.code).toBe(1);
    expect(since.stderr).toContain('--since 2026-13-45: give a date (2026-09-01) or an ISO time');
    const neither = await runCli(['sync', 'run'], env);
    expect(neither.code).toBe(1);
    expect(neither.stderr).toContain('give one report type or --all');
    const mp = await runCli(['sync', 'run', 'listings', '--marketplace', 'MX'], env);
    expect(mp.code).toBe(1);
    expect(mp.stderr).toContain('marketplace MX is not one the seller participates in');
    const { SP_API_REFRESH_TOKEN: _t, ...noCreds } = env;
    const creds = await runCli(['sync', 'run', '--all', '--json'], noCreds);
    expect(creds.code).toBe(1);
    expect(creds.stderr).toContain('sync: SP-API is not configured (set SP_API_REFRESH_TOKEN)');
  });

  it('a FATAL report: non-zero exit naming the type, marketplace, report id and Amazon error', async () => {
    api.script('GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA', { end: 'FATAL', polls: 0 });
    const r = await runCli(
      [
        'sync',
        'run',
        'returns',
        '--since',
        new Date(Date.now() - 86_400_000 * 5).toISOString().slice(0, 10),
        '--json',
      ],
      env,
    );
    expect(r.code).toBe(1);
    expect(parseOneJson(r.stdout)).toMatchObject({ status: 'failed', runs: [{ status: 'fatal' }] });
    expect(r.stderr).toMatch(
      /GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA US report \d+: FATAL: Report \d+: the date range is not valid/,
    );
  });
});
