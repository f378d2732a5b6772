import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertBuybox,
  insertLedgerShipments,
  insertListing,
  insertLogisticsRate,
  insertMetrics,
  insertReturn,
  insertVendor,
  insertVendorPrice,
} from '../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';
import { roiSettingsFrom, updateRoi } from '../roi/roi.service.ts';
import { cvOf, timeWeightedCv } from './components.ts';
import { scoreOf } from './score.ts';
import { readInputs } from './scoring.inputs.repo.ts';
import { scoringJob } from './scoring.job.ts';
import { listScores } from './scoring.service.ts';

/**
 * Business time is pinned at NOW (the database's own clock is a day later). Fees 6.70, 0.5 kg at
 * 2.00 €/kg = freight 1.00, cost 10.00, so ROI = (buy box − 17.70) / 11:
 *   A  buy box 22.00 (set 40 days ago, in force at the window's start) then 23.20 for the last 10 days
 *      → ROI 50.0 % → 0.50; 30 units in 30 days → 1/day → 0.50; latest offer counts 5 FBA, no Amazon
 *      → 0.50; time-weighted mean 672/30 = 22.4, mean of squares 502.08, sd √0.32, CV 2.53 %
 *      → 0.9747; 9 returned of 90 sold in 90 days → 10 % → 0.50.
 *      0.35·0.5 + 0.25·0.5 + 0.15·0.5 + 0.15·0.9747 + 0.10·0.5 = 57.12, confidence 1
 *   B  metrics only: rank 1,000 → 0.50, Amazon on the listing → 0 → (0.25·0.5) / 0.40 = 31.25, conf 0.40
 *   C  one buy box point only: nothing measurable → skipped
 *   D  buy box 34.20 (one point, 50 days old) → ROI 150 % → 1; nothing else → 100, confidence 0.35
 *   E  offer without fees or buy box (flagged), rank 1 → 1, 0 new offers → 1 → 100, confidence 0.40
 *   G  buy box 17.70 twice in the window → ROI 0 % → 0, CV 0 → 1 → (0.15·1) / 0.50 = 30, conf 0.50
 *   F  metrics in FR only: not a candidate in DE
 */
const NOW = new Date('2026-11-28T10:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const later = (days: number) => new Date(NOW.getTime() + days * 86_400_000);
const [A, B, C, D, E, F, G] = ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((x) => `B0SCORE00${x}`) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];

let tdb: TestDatabase;

async function run(
  opts: { dryRun?: boolean; at?: Date; asins?: string[]; env?: Record<string, string> } = {},
) {
  const deps = testJobDeps(tdb, { clock: (opts.at ?? NOW).toISOString(), env: opts.env });
  return runJob(scoringJob, deps, new Metrics(), {
    dryRun: opts.dryRun,
    data: opts.asins ? { asins: opts.asins } : {},
  });
}

async function scoreRows(where = 'true') {
  const { rows } = await tdb.db.pool.query(
    `SELECT * FROM (
       SELECT asin, scored_at, run_id, score::float8, confidence::float8, profitability::float8,
              demand::float8, competition::float8, stability::float8, returns::float8, explanation,
              EXISTS (SELECT 1 FROM scores_latest l WHERE (l.marketplace, l.asin, l.scored_at)
                                                          = (s.marketplace, s.asin, s.scored_at)) AS latest
       FROM scores s WHERE marketplace = 'DE') x
     WHERE ${where} ORDER BY asin, scored_at`,
  );
  return rows;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  const db = tdb.db;
  await insertLogisticsRate(db, { eur_per_kg: '2.00' });
  const alpha = await insertVendor(db, { name: 'Alpha GmbH' });
  for (const asin of [A, D, E, G]) {
    await insertListing(db, { asin, buybox: null, fees: asin === E ? null : undefined });
    await insertVendorPrice(db, { vendor_id: alpha.id, asin, cost: '10.00' });
  }
  await insertBuybox(db, { asin: A, price: '22.00', captured_at: ago(40) });
  await insertBuybox(db, { asin: A, price: '23.20', captured_at: ago(10) });
  await insertBuybox(db, { asin: C, price: '19.99', captured_at: ago(3) });
  await insertBuybox(db, { asin: D, price: '34.20', captured_at: ago(50) });
  await insertBuybox(db, { asin: G, price: '17.70', captured_at: ago(20) });
  await insertBuybox(db, { asin: G, price: '17.70', captured_at: ago(5) });
  await insertBuybox(db, { asin: A, price: '99.00', captured_at: ago(7), marketplace: 'FR' });

  // A: the latest offer counts win over older ones; a rank-only point does not hide them; a point
  // after business "now" is not read
  await insertMetrics(db, {
    asin: A,
    captured_at: ago(20),
    offers_fba: 20,
    amazon_on_listing: true,
    sales_rank: 5000,
  });
  await insertMetrics(db, { asin: A, captured_at: ago(5), offers_fba: 5, amazon_on_listing: false });
  await insertMetrics(db, { asin: A, captured_at: ago(1), sales_rank: 1200 });
  await insertMetrics(db, { asin: A, captured_at: later(1), offers_fba: 50, amazon_on_listing: true });
  await insertMetrics(db, {
    asin: B,
    captured_at: ago(2),
    sales_rank: 1000,
    offers_fba: 3,
    amazon_on_listing: true,
  });
  await insertMetrics(db, { asin: E, captured_at: ago(1), sales_rank: 1, offers_new: 0 });
  await insertMetrics(db, { asin: F, captured_at: ago(1), sales_rank: 10, marketplace: 'FR' });

  // A sold 30 units in the last 30 days, 90 in 90 (windows end today, 2026-11-28)
  await insertLedgerShipments(db, {
    sku: 'MSKU-A',
    asin: A,
    days: {
      '2026-11-20': 10,
      '2026-11-10': 10,
      '2026-11-01': 10,
      '2026-10-15': 30,
      '2026-09-15': 30,
      '2026-08-01': 50,
    },
  });
  await insertLedgerShipments(db, { sku: 'MSKU-A-FR', asin: A, country: 'FR', days: { '2026-11-20': 100 } });
  await insertReturn(db, { asin: A, return_date: '2026-11-20T08:00:00Z', quantity: 5 });
  await insertReturn(db, { asin: A, return_date: '2026-10-01T08:00:00Z', quantity: 4 });
  await insertReturn(db, { asin: A, return_date: '2026-08-01T08:00:00Z', quantity: 3 }); // > 90 days
  await insertReturn(db, { asin: A, return_date: '2026-11-21T08:00:00Z', quantity: 7, marketplace: 'FR' });

  // the profitability figures below are hand-computed on gross prices (no VAT)
  const deps = testJobDeps(tdb, { env: { VAT_RATE: '0' } });
  await updateRoi(db, { settings: roiSettingsFrom(deps.config), reason: 'test' });
});

afterAll(async () => {
  await tdb?.drop();
});

describe('scoring agent', () => {
  it('dry run computes and reports the counts and writes nothing but its run record', async () => {
    const r = await run({ dryRun: true });
    expect(r.status).toBe('success');
    expect(r.dry_run).toBe(true);
    expect(r.counts).toMatchObject({ candidates: 6, scored: 5, skipped: 1, written: 0, avg_score: 63.67 });
    expect(await scoreRows()).toEqual([]);
    const top = (r.result as { top: { asin: string; score: number }[] }).top;
    expect(top.map((t) => [t.asin, t.score])).toEqual([
      [D, 100],
      [E, 100],
      [A, 57.12],
      [B, 31.25],
      [G, 30],
    ]);
  });

  it('stores a score per ASIN with components, explanations, confidence and the run id', async () => {
    const r = await run();
    expect(r.status).toBe('success');
    expect(r.counts).toEqual({
      candidates: 6,
      scored: 5,
      skipped: 1,
      written: 5,
      pruned: 0,
      avg_score: 63.67, // (57.12 + 31.25 + 100 + 100 + 30) / 5
      avg_confidence: 0.53, // (1 + 0.40 + 0.35 + 0.40 + 0.50) / 5
      missing_profitability: 2,
      missing_demand: 2,
      missing_competition: 2,
      missing_stability: 3,
      missing_returns: 4,
    });
    const rows = await scoreRows();
    expect(rows.map((x) => [x.asin, x.score, x.confidence])).toEqual([
      [A, 57.12, 1],
      [B, 31.25, 0.4],
      [D, 100, 0.35],
      [E, 100, 0.4],
      [G, 30, 0.5],
    ]);
    for (const x of rows) {
      expect(x.run_id).toBe(r.run_id);
      expect(x.scored_at).toEqual(NOW);
      expect(x.latest).toBe(true);
    }
    const a = rows[0]!;
    expect([a.profitability, a.demand, a.competition, a.stability, a.returns]).toEqual([
      0.5, 0.5, 0.5, 0.9747, 0.5,
    ]);
    expect(a.explanation).toEqual({
      profitability: 'ROI 50.0 % of the best offer (Alpha GmbH) → 0.50',
      demand: 'own sales 30 units in 30 days (1.00/day) → 0.50',
      competition: '5 FBA offers, Amazon not on the listing → 0.50',
      stability: 'buy box varies 2.5 % (CV, time-weighted) over 2 prices in 30 days → 0.97',
      returns: '9 returned of 90 sold in 90 days (10.0 %) → 0.50',
    });
    const e = rows[3]!;
    expect([e.profitability, e.demand, e.competition, e.stability, e.returns]).toEqual([
      null,
      1,
      1,
      null,
      null,
    ]);
    expect(e.explanation.profitability).toBe('missing: the best offer has no ROI (fees_missing, no_buybox)');
    expect(e.explanation.competition).toBe('0 new offers, Amazon presence unknown → 1.00');
    const b = rows[1]!;
    expect(b.explanation.demand).toBe('sales rank 1,000 (no own sales in 30 days) → 0.50');
    expect(b.explanation.competition).toBe('Amazon sells on the listing → 0.00');
    expect(rows[2]!.explanation.stability).toBe('missing: 1 buy box price in 30 days (2 needed)');
  });

  it('gathers in SQL what the TypeScript definitions compute from the raw rows', async () => {
    const since = ago(30);
    const inputs = new Map<string, Parameters<typeof scoreOf>[0]>();
    for await (const batch of readInputs(tdb.db.pool, { marketplace: 'DE', now: NOW }, 2)) {
      for (const i of batch) inputs.set(i.asin, i);
    }
    expect([...inputs.keys()].sort()).toEqual([A, B, C, D, E, G]);
    for (const asin of [A, C, D, G]) {
      const { rows } = await tdb.db.pool.query(
        `SELECT captured_at AS at, price::float8 AS price FROM buybox_history
         WHERE marketplace = 'DE' AND asin = $1`,
        [asin],
      );
      const i = inputs.get(asin)!;
      const fromSql = i.bbPoints >= 2 ? cvOf(i.bbMean!, i.bbMeanSq!) : null;
      const fromTs = timeWeightedCv(rows, since, NOW);
      if (fromTs === null) expect(fromSql).toBeNull();
      else expect(fromSql).toBeCloseTo(fromTs, 12);
    }
    expect(cvOf(inputs.get(A)!.bbMean!, inputs.get(A)!.bbMeanSq!)).toBeCloseTo(Math.sqrt(0.32) / 22.4, 12);
    expect(inputs.get(A)).toMatchObject({ units30: 30, sold90: 90, returned90: 9, rank: 1200, offersFba: 5 });
    // and the stored rows are what the TypeScript mapping makes of those inputs
    const weights = testJobDeps(tdb).config.SCORING_WEIGHTS;
    for (const x of await scoreRows()) {
      const s = scoreOf(inputs.get(x.asin)!, weights)!;
      expect([x.score, x.confidence, x.explanation]).toEqual([s.score, s.confidence, s.explanation]);
    }
  });

  it('takes the weights from SCORING_WEIGHTS', async () => {
    // profitability only: B and E (no ROI) have nothing weighted left and are skipped;
    // A 50, D 100, G 0 → average 50
    const r = await run({
      dryRun: true,
      env: { SCORING_WEIGHTS: 'profitability=1,demand=0,competition=0,stability=0,returns=0' },
    });
    expect(r.counts).toMatchObject({
      candidates: 6,
      scored: 3,
      skipped: 3,
      avg_score: 50,
      avg_confidence: 1,
    });
  });

  it('a second run adds a new scored_at and becomes the latest; /scores shows only that one', async () => {
    const r2 = await run({ at: later(1) });
    expect(r2.counts.written).toBe(5);
    const rows = await scoreRows();
    expect(rows).toHaveLength(10);
    expect(rows.filter((x) => x.latest).every((x) => x.scored_at.getTime() === later(1).getTime())).toBe(
      true,
    );
    const page = await listScores(tdb.db, 'DE', { sort: 'score', page: 1, page_size: 50 });
    expect(page.total).toBe(5);
    expect(page.items.map((i) => i.asin)).toEqual([E, D, A, B, G]); // score desc, asin desc on ties
    expect(page.items.every((i) => i.run_id === r2.run_id)).toBe(true);
  });

  it('a run over some ASINs replaces only their latest scores', async () => {
    const r3 = await run({ at: later(2), asins: [D, C] });
    expect(r3.counts).toMatchObject({ candidates: 2, scored: 1, skipped: 1, written: 1 });
    const latest = await scoreRows('latest');
    expect(latest.map((x) => [x.asin, x.scored_at.getTime()])).toEqual([
      [A, later(1).getTime()],
      [B, later(1).getTime()],
      [D, later(2).getTime()],
      [E, later(1).getTime()],
      [G, later(1).getTime()],
    ]);
  });

  it('keeps 90 days of history besides the current scores', async () => {
    const Z = 'B0SCORE00Z'; // scored long ago, no data any more
    await tdb.db.pool.query(
      `INSERT INTO scores (marketplace, asin, scored_at, run_id, score, confidence, demand, explanation)
       VALUES ('DE', $1, $2, gen_random_uuid(), 40, 0.25, 0.4, '{}'),
              ('DE', $3, $4, gen_random_uuid(), 50, 0.25, 0.5, '{}')`,
      [A, ago(100), Z, ago(200)],
    );
    await tdb.db.pool.query(
      `INSERT INTO scores_latest (marketplace, asin, scored_at, score, confidence) VALUES ('DE', $1, $2, 50, 0.25)`,
      [Z, ago(200)],
    );
    const dry = await run({ dryRun: true, at: later(3) });
    expect(dry.counts.pruned).toBe(1); // A's 100-day-old row; Z's is its current score
    const r = await run({ at: later(3) });
    expect(r.counts).toMatchObject({ written: 5, pruned: 1 });
    expect((await scoreRows(`asin = '${A}'`)).map((x) => x.scored_at.getTime())).toEqual(
      [NOW, later(1), later(3)].map((d) => d.getTime()),
    );
    // a full run replaces every current score: Z, no longer scorable, drops out of /scores
    expect(await scoreRows(`asin = '${Z}'`)).toEqual([expect.objectContaining({ latest: false })]);
    const page = await listScores(tdb.db, 'DE', { sort: 'asin', page: 1, page_size: 50 });
    expect(page.items.map((i) => i.asin)).toEqual([A, B, D, E, G]);
  });

  it('refuses malformed ASINs in the job data and writes nothing', async () => {
    const before = (await scoreRows()).length;
    const r = await run({ asins: ['nope'] });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/^scoring: the queued payload does not fit: asins\.0 .* \(got "nope"\)$/);
    expect(await scoreRows()).toHaveLength(before);
  });
});
