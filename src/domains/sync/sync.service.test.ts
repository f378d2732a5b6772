import { afterEach, describe, expect, it } from 'vitest';
import { maxObservedRate } from '../../../test/fakes/spapi-rate.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { SYNC_TYPES, syncTypeInput } from './catalogue.ts';
import { runSync } from './sync.service.ts';
import { count, type SyncWorld, syncWorld } from './testkit.ts';

const DAY = 86_400_000;
const LEDGER = 'GET_LEDGER_DETAIL_VIEW_DATA';
const LISTINGS = 'GET_MERCHANT_LISTINGS_ALL_DATA';
const SETTLEMENT = 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2';

let tdb: TestDatabase | undefined;
let world: SyncWorld | undefined;

afterEach(async () => {
  await world?.api.close();
  await tdb?.drop();
  world = undefined;
  tdb = undefined;
});

async function setup(o: Parameters<typeof syncWorld>[1] = {}): Promise<SyncWorld> {
  tdb = await createTestDatabase();
  world = await syncWorld(tdb, o);
  return world;
}

const state = async (type: string, mp = 'US') =>
  (
    await tdb!.db.pool.query('SELECT * FROM sync_state WHERE report_type = $1 AND marketplace = $2', [
      type,
      mp,
    ])
  ).rows[0];

describe('sync: first run, then only new windows', () => {
  it('backfills every type on the first run and asks only for new windows (with the overlap) later', async () => {
    const w = await setup();
    const t0 = w.time.nowMs();
    const midnight = Math.floor(t0 / DAY) * DAY;
    w.api.addSettlement('US', t0 - 20 * DAY, { start: t0 - 34 * DAY, end: t0 - 20 * DAY });
    w.api.addSettlement('US', t0 - 6 * DAY, { start: t0 - 20 * DAY, end: t0 - 6 * DAY });

    const first = await runSync(w.worker(), { force: true });
    expect(first.status).toBe('success');
    // 90 days in 30-day windows for returns, reimbursements and the ledger; one report per snapshot
    const byType = (t: string) => first.runs.filter((r) => r.type === t);
    expect(byType(LEDGER).map((r) => r.window)).toEqual(
      [0, 1, 2].map((i) => ({
        start: new Date(midnight - 90 * DAY + i * 30 * DAY).toISOString(),
        end: new Date(midnight - 90 * DAY + (i + 1) * 30 * DAY).toISOString(),
      })),
    );
    expect(first.runs.every((r) => r.status === 'loaded' && r.marketplace === 'US')).toBe(true);
    expect(byType(SETTLEMENT)).toHaveLength(2);
    expect(w.api.count('createReport')).toBe(3 * 3 + 3);
    // every row keeps its marketplace; the ledger has three rows a day for 90 days
    expect(await count(tdb!, 'inventory_ledger_raw')).toBe(270);
    expect(await count(tdb!, 'listings', "marketplace = 'US'")).toBeGreaterThan(0);
    expect(await count(tdb!, 'settlement_lines_raw')).toBeGreaterThan(0);
    for (const t of SYNC_TYPES) {
      const s = await state(t.spType);
      expect(s.last_error).toBeNull();
      expect(
        w.time.nowMs() - (t.window && !t.listed ? s.data_to : s.last_success_at).getTime(),
      ).toBeLessThanOrEqual(t.freshnessMs);
    }

    // not due yet: the scheduled run asks Amazon for nothing
    const creates = w.api.count('createReport');
    const idle = await runSync(w.worker());
    expect(idle.runs.every((r) => r.status === 'up_to_date')).toBe(true);
    expect(w.api.count('createReport')).toBe(creates);

    // a day later: one new window per windowed type, from the watermark less its overlap
    w.time.advance(DAY + 60_000);
    const second = await runSync(w.worker());
    const ledger = second.runs.filter((r) => r.type === LEDGER);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]!.window).toEqual({
      start: new Date(midnight - 2 * DAY).toISOString(),
      end: new Date(midnight + DAY).toISOString(),
    });
    // listings/inventory (2 h) and the daily types are due again; settlements: nothing new
    expect(w.api.count('createReport') - creates).toBe(6);
    // the overlap's days were loaded before: the ledger gains the new day's rows only
    expect(await count(tdb!, 'inventory_ledger_raw')).toBe(273);
  });

  it('--since starts the first window at the given date', async () => {
    const w = await setup();
    const since = new Date(w.time.nowMs() - 10 * DAY);
    const r = await runSync(w.worker(), { types: [syncTypeInput('ledger')], since, force: true });
    // from the date given to the last midnight
    expect(r.runs.map((x) => x.window?.start)).toEqual([since.toISOString()]);
  });

  it('a dry run plans the windows and writes nothing', async () => {
    const w = await setup();
    const r = await runSync(w.worker(), { dryRun: true, force: true });
    expect(r.runs.filter((x) => x.type === LEDGER).map((x) => x.status)).toEqual([
      'planned',
      'planned',
      'planned',
    ]);
    expect(w.api.count('createReport')).toBe(0);
    expect(await count(tdb!, 'sync_requests')).toBe(0);
    expect(await count(tdb!, 'sync_state')).toBe(0);
  });
});

describe('sync: Amazon answers', () => {
  it('CANCELLED is no data for the window: done, watermark moved, not an error', async () => {
    const w = await setup();
    w.api.script(LEDGER, { end: 'CANCELLED' });
    const r = await runSync(w.worker(), { types: [syncTypeInput(LEDGER)], force: true });
    expect(r.status).toBe('success');
    expect(r.runs.map((x) => [x.status, x.rows])).toEqual([
      ['no_data', 0],
      ['no_data', 0],
      ['no_data', 0],
    ]);
    expect((await state(LEDGER)).data_to.getTime()).toBe(Math.floor(w.time.nowMs() / DAY) * DAY);
  });

  it('FATAL: its error document is recorded; the watermark stays', async () => {
    const w = await setup();
    w.api.script(LEDGER, { end: 'FATAL' });
    const deps = w.worker();
    const r = await runSync(deps, { types: [syncTypeInput('ledger')], force: true });
    expect(r.status).toBe('failed');
    expect(r.runs).toEqual([expect.objectContaining({ status: 'fatal', rows: null })]);
    const s = await state(LEDGER);
    expect(s.data_to).toBeNull();
    const id = [...w.api.reports.values()][0]!.reportId;
    expect(s.last_error).toBe(
      `${LEDGER} US report ${id}: FATAL: Report ${id}: the date range is not valid for this report type`,
    );
    expect(deps.errors).toEqual([s.last_error]);
  });

  it('honours 429 with Retry-After, and replaces an expired document URL', async () => {
    const w = await setup();
    w.api.throttle('createReport', 2, 30);
    w.api.expireUrls(1);
    const start = w.time.nowMs();
    const r = await runSync(w.worker(), { types: [syncTypeInput('listings')], force: true });
    expect(r.runs).toEqual([{ type: LISTINGS, marketplace: 'US', status: 'loaded', rows: 3, window: null }]);
    expect(w.api.calls.filter((c) => c.op === 'createReport').map((c) => c.status)).toEqual([429, 429, 202]);
    expect(w.time.sleeps.filter((ms) => ms === 30_000).length).toBeGreaterThanOrEqual(2);
    expect(w.time.nowMs() - start).toBeGreaterThanOrEqual(60_000);
    expect(w.api.count('getReportDocument')).toBe(2);
    expect(w.api.calls.filter((c) => c.op === 'document').map((c) => c.status)).toEqual([403, 200]);
  });

  it('GZIP documents are gunzipped on the way in', async () => {
    const w = await setup();
    w.api.script(LEDGER, { gzip: true });
    const r = await runSync(w.worker(), {
      types: [syncTypeInput(LEDGER)],
      since: new Date(w.time.nowMs() - 5 * DAY),
      force: true,
    });
    expect(r.runs.map((x) => x.rows)).toEqual([15]);
    expect(await count(tdb!, 'inventory_ledger_raw')).toBe(15);
  });

  it('settlements: listed with getReports, each fetched once', async () => {
    const w = await setup();
    const t0 = w.time.nowMs();
    w.api.addSettlement('US', t0 - 40 * DAY, { start: t0 - 54 * DAY, end: t0 - 40 * DAY });
    w.api.addSettlement('US', t0 - 26 * DAY, { start: t0 - 40 * DAY, end: t0 - 26 * DAY });
    w.api.addSettlement('US', t0 - 12 * DAY, { start: t0 - 26 * DAY, end: t0 - 12 * DAY });
    const types = [syncTypeInput('settlements')];
    const a = await runSync(w.worker(), { types, force: true });
    expect(a.runs.map((r) => r.status)).toEqual(['loaded', 'loaded', 'loaded']);
    const b = await runSync(w.worker(), { types, force: true });
    expect(b.runs.map((r) => r.status)).toEqual(['up_to_date']);
    w.time.advance(7 * DAY);
    w.api.addSettlement('US', w.time.nowMs() - DAY, { start: t0 - 12 * DAY, end: w.time.nowMs() - DAY });
    const c = await runSync(w.worker(), { types });
    expect(c.runs.map((r) => r.status)).toEqual(['loaded']);
    expect(w.api.count('getReportDocument')).toBe(4);
    expect(w.api.count('createReport')).toBe(0);
  });
});

describe('sync: bad inputs', () => {
  it('an unknown type names the known ones', () => {
    expect(() => syncTypeInput('GET_NOPE')).toThrow(
      /unknown report type "GET_NOPE"; known: listings \(GET_MERCHANT/,
    );
  });

  it('a marketplace the seller does not participate in', async () => {
    const w = await setup();
    await expect(runSync(w.worker(), { marketplace: 'MX' })).rejects.toThrow(
      /marketplace MX is not one the seller participates in \(syncing: US\)/,
    );
  });

  it('SYNC_MARKETPLACES narrows the participating marketplaces', async () => {
    const w = await setup({ fake: { marketplaces: ['US', 'CA'] }, env: { SYNC_MARKETPLACES: 'CA' } });
    const r = await runSync(w.worker(), { types: [syncTypeInput('listings')], force: true });
    expect(r.runs.map((x) => x.marketplace)).toEqual(['CA']);
  });

  it('quotas: a backfill of every type stays within each operation plan', async () => {
    const w = await setup({ fake: { enforce: true, marketplaces: ['US', 'CA'] } });
    const r = await runSync(w.worker(), { force: true });
    expect(r.status).toBe('success');
    // 24 createReport calls: the 15-call burst, then one a minute, and Amazon never answered 429
    expect(w.api.calls.filter((c) => c.status === 429)).toEqual([]);
    const hour = 3_600_000;
    for (const op of ['createReport', 'getReportDocument'] as const) {
      expect(maxObservedRate(w.api.times(op), hour) * 3600).toBeLessThanOrEqual(15 + 60);
    }
  });
});
