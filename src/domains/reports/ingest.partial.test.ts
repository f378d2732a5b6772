import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../../../test/fixtures/reports/files.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { ingestTestDeps } from '../../../test/helpers/ingest.ts';
import { loadInputs as repricerInputs } from '../repricer/inputs.repo.ts';
import { loadInputs as restockInputs } from '../restock/restock.repo.ts';
import { type IngestDeps, type IngestInput, ingestReport } from './ingest.service.ts';

// Issue part 4, "partial loads never destroy good data": a file ingested with --skip-invalid is not
// the whole report, so no merge may read "absent from this file" as "gone" (SPEC §4 listings close,
// settlements replace). Every report type with such a rule is ingested here whole, then partial.

let tdb: TestDatabase;
let deps: IngestDeps;
let tmp: ReturnType<typeof tempDir>;
let now = Date.parse('2026-11-28T12:00:00Z');

beforeAll(async () => {
  tdb = await createTestDatabase();
  tmp = tempDir('awa-partial-');
  deps = ingestTestDeps(tdb, { clock: { now: () => new Date(now) } });
});

afterAll(async () => {
  await tdb.drop();
  tmp.cleanup();
});

beforeEach(async () => {
  now = Date.parse('2026-11-28T12:00:00Z');
  await tdb.db.pool.query(
    'TRUNCATE settlements, settlement_lines_raw, listings, inventory_snapshots, load_log CASCADE',
  );
});

const run = (file: string, extra: Partial<IngestInput> = {}) => ingestReport(deps, { file, ...extra });

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await tdb.db.pool.query(sql, params)).rows as T[];
}

let seq = 0;
/** A fixture's header plus the chosen lines (1-based as in the file), each possibly edited. */
function variant(name: string, lines: number[], edit: (line: string, n: number) => string = (l) => l) {
  const raw = readFileSync(fixture(name));
  const all = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n');
  seq += 1;
  const f = path.join(tmp.dir, `${seq}-${name.replace(/\.gz$/, '')}`);
  writeFileSync(f, `${[all[0], ...lines.map((n) => edit(all[n]!, n))].join('\n')}\n`);
  return f;
}

describe('listings: only a complete report closes listings', () => {
  it('a partial report upserts its rows, closes nothing and says so; a complete one closes', async () => {
    await run(fixture('listings.txt'));
    const priced = async () =>
      (await repricerInputs(tdb.db.pool, { marketplace: 'US', currency: 'USD', now: new Date(now) })).map(
        (r) => r.sku,
      );
    expect(await priced()).toEqual(['CB-BAMBOO-3', 'WB-750-BLK']);

    // the full report again, WB's price unreadable and CB's price changed: only CB's row is usable
    const bad = variant('listings.txt', [1, 2, 3], (l) =>
      l.replace('\t24.99\t37\t', '\tabc\t37\t').replace('\t1,299.00\t', '\t1,199.00\t'),
    );
    const s = await run(bad, { skipInvalid: true });
    expect(s).toMatchObject({ status: 'partial', rejected: 1, updated: 1, closed: 0 });
    expect(s.notes).toEqual([expect.stringMatching(/not closed|left open/)]);
    expect(s.notes[0]).toContain('rejected rows: 1');
    expect(await q(`SELECT sku, price::text, status FROM listings ORDER BY sku`)).toEqual([
      { sku: 'BM-SIL-01', price: '12.50', status: 'inactive' },
      { sku: 'CB-BAMBOO-3', price: '1199.00', status: 'active' },
      { sku: 'WB-750-BLK', price: '24.99', status: 'active' },
    ]);
    // the repricer still prices the SKU whose row was rejected
    expect(await priced()).toEqual(['CB-BAMBOO-3', 'WB-750-BLK']);

    // a complete report without CB closes it, and counts it as closed (not as updated)
    const full = await run(variant('listings.txt', [1, 3]));
    expect(full).toMatchObject({ status: 'success', inserted: 0, updated: 0, closed: 1, notes: [] });
    expect(await priced()).toEqual(['WB-750-BLK']);
  });

  it('a dry run of a partial report (its only row rejected) closes nothing; a complete one counts what it would close', async () => {
    await run(fixture('listings.txt'));
    const bad = variant('listings.txt', [1], (l) => l.replace('\t24.99\t37\t', '\tabc\t37\t'));
    expect(await run(bad, { skipInvalid: true, dryRun: true })).toMatchObject({
      closed: 0,
      updated: 0,
      rejected: 1,
    });
    const full = await run(variant('listings.txt', [1]), { dryRun: true });
    expect(full).toMatchObject({ closed: 1, notes: [] }); // CB would close (BM is closed already)
    expect(await q(`SELECT count(*)::int AS n FROM listings WHERE status = 'active'`)).toEqual([{ n: 2 }]);
  });
});

describe('settlement: a partial file never replaces a stored settlement', () => {
  const lines = async () =>
    q(`SELECT line, amount_description, amount::text FROM settlement_lines_raw ORDER BY settlement_id, line`);
  // settlement.txt: line 1 is the summary row, lines 2–6 the five transaction lines
  const breakFee = (l: string, n: number) => (n === 3 ? l.replace('\t-5.40\t', '\tabc\t') : l);

  it('a re-download with a rejected line keeps the complete stored lines', async () => {
    await run(fixture('settlement.txt'));
    const before = await lines();
    expect(before).toHaveLength(5);
    const s = await run(variant('settlement.txt', [1, 2, 3, 4, 5, 6], breakFee), { skipInvalid: true });
    expect(s).toMatchObject({ status: 'partial', rejected: 1, inserted: 0, replaced: 0, kept: 4 });
    expect(s.notes).toEqual([expect.stringContaining('settlement 11782645381 already stored')]);
    expect(await lines()).toEqual(before);
    // the corrected, complete file replaces it as before
    const fixed = await run(
      variant('settlement.txt', [1, 2, 3, 4, 5, 6], (l) => l.replace('\t-5.40\t', '\t-5.45\t')),
    );
    expect(fixed).toMatchObject({ status: 'success', replaced: 5, kept: 0, notes: [] });
    expect((await lines()).map((l) => l.amount)).toContain('-5.45');
  });

  it('in one partial file a new settlement is added and a stored one is kept', async () => {
    await run(fixture('settlement.txt'));
    const fresh = (l: string) => l.replace('11782645381', '11782645999');
    // a second settlement's five lines follow the first's (only a file's first row is a summary)
    const f = variant('settlement.txt', [1, 2, 3, 4, 5, 6, 2, 3, 4, 5, 6]);
    const body = readFileSync(f, 'utf8').trimEnd().split('\n');
    for (let i = 7; i < body.length; i++) body[i] = fresh(body[i]!);
    body[3] = body[3]!.replace('\t-5.40\t', '\tabc\t'); // the stored settlement's fee line
    writeFileSync(f, `${body.join('\n')}\n`);
    const s = await run(f, { skipInvalid: true });
    expect(s).toMatchObject({ status: 'partial', rejected: 1, inserted: 5, replaced: 0, kept: 4 });
    expect(
      await q(`SELECT settlement_id, count(*)::int AS n FROM settlement_lines_raw GROUP BY 1 ORDER BY 1`),
    ).toEqual([
      { settlement_id: '11782645381', n: 5 },
      { settlement_id: '11782645999', n: 5 },
    ]);
  });
});

describe('FBA inventory: a SKU missing from the latest report keeps its last stock', () => {
  it('restock and the repricer read each SKU’s own latest snapshot, never zero for a rejected row', async () => {
    await run(fixture('fba-inventory.txt.gz'));
    // a day later: CB's row is unreadable, WB's is new
    now += 86_400_000;
    const bad = variant('fba-inventory.txt.gz', [1, 2], (l) =>
      l
        .replace('\t152\t140\t', '\t152\tlots\t')
        .replace('\t0\t0\t0\t0\t0\t0.04\t', '\t9\t9\t0\t0\t9\t0.04\t'),
    );
    const s = await run(bad, { skipInvalid: true });
    expect(s).toMatchObject({ status: 'partial', rejected: 1, inserted: 1 });
    const restock = await restockInputs(tdb.db.pool, {
      marketplace: 'US',
      countries: ['US'],
      settlementMarketplace: null,
      from: '2026-08-31',
      to: '2026-11-29',
      windowDays: 90,
      now: new Date(now),
    });
    expect(restock.map((r) => [r.sku, r.on_hand, r.inbound])).toEqual([
      ['CB-BAMBOO-3', 140, 60],
      ['WB-750-BLK', 9, 0],
    ]);
    const priced = await repricerInputs(tdb.db.pool, {
      marketplace: 'US',
      currency: 'USD',
      now: new Date(now),
    });
    expect(priced.map((r) => [r.sku, r.fulfillable])).toEqual([
      ['CB-BAMBOO-3', 140],
      ['WB-750-BLK', 9],
    ]);
    expect(await q(`SELECT sku, quantity FROM listings ORDER BY sku`)).toEqual([
      { sku: 'CB-BAMBOO-3', quantity: 140 },
      { sku: 'WB-750-BLK', quantity: 9 },
    ]);
  });
});

describe('dry run', () => {
  const counts = (s: Record<string, unknown>) => {
    const keys = [
      'status',
      'rows',
      'inserted',
      'updated',
      'replaced',
      'closed',
      'kept',
      'duplicates',
      'rejected',
    ];
    return Object.fromEntries([...keys, 'notes'].map((k) => [k, s[k]]));
  };

  it('counts exactly what the real run then does (updates, closes, replaces)', async () => {
    await run(fixture('listings.txt'));
    await run(fixture('settlement.txt'));
    // WB's price changes, CB is gone (closed); the settlement forced again replaces its lines
    const listings = variant('listings.txt', [1, 3], (l) => l.replace('\t24.99\t37\t', '\t25.49\t37\t'));
    for (const [f, extra] of [
      [listings, {}],
      [fixture('settlement.txt'), { force: true }],
    ] as const) {
      const dry = await run(f, { ...extra, dryRun: true });
      const real = await run(f, extra);
      expect(dry.dry_run).toBe(true);
      expect(real.updated + real.closed + real.replaced, f).toBeGreaterThan(0);
      expect(counts({ ...dry }), f).toEqual(counts({ ...real }));
    }
  });
});
