import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roiSettingsFrom, updateRoi } from '../../src/domains/roi/roi.service.ts';
import { scoringJob } from '../../src/domains/scoring/scoring.job.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { runJob } from '../../src/platform/jobs/index.ts';
import { Metrics } from '../../src/platform/metrics.ts';
import { insertListing, insertLogisticsRate, insertVendor, insertVendorPrice } from '../factories/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testJobDeps } from '../helpers/deps.ts';

/**
 * P1 and P2: a vendor offer at cost 10 against a 29.99 buy box (ROI 111.7 % → 1) and nothing else
 * measured → score 100, confidence 0.35, written by the real scoring agent. P3 is offered only after
 * that run (no score yet). X1–X4 are stored scores with chosen values, X1 also with an older one:
 *   X1 10.00 / conf 1   X2 55.50 / 0.5   X3 55.50 / 0.75   X4 90.00 / 0.35
 */
const P1 = 'B0HTTPP001';
const P2 = 'B0HTTPP002';
const P3 = 'B0HTTPP003';
const [X1, X2, X3, X4] = ['B0HTTPX001', 'B0HTTPX002', 'B0HTTPX003', 'B0HTTPX004'];

let t: TestApp;
let viewer: string;
let runId: string;

async function get(url: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { authorization: viewer } });
  return { status: res.statusCode, body: res.json() };
}
const asins = async (q: string) => {
  const r = await get(`/scores?${q}`);
  expect(r.status, q).toBe(200);
  return r.body.items.map((i: { asin: string }) => i.asin);
};

beforeAll(async () => {
  t = await createTestApp();
  viewer = await t.bearer('viewer');
  const db = t.tdb.db;
  await insertLogisticsRate(db, { eur_per_kg: '2.00' });
  const v = await insertVendor(db, { name: 'Alpha GmbH' });
  for (const asin of [P1, P2]) {
    await insertListing(db, { asin });
    await insertVendorPrice(db, { vendor_id: v.id, asin, cost: '10.00' });
  }
  // figures hand-computed on gross prices (no VAT)
  const deps = testJobDeps(t.tdb, { clock: systemClock, env: { VAT_RATE: '0' } });
  await updateRoi(db, { settings: roiSettingsFrom(deps.config), reason: 'test' });
  const run = await runJob(scoringJob, deps, new Metrics());
  expect(run.counts).toMatchObject({ scored: 2, written: 2 });
  runId = run.run_id;

  await insertListing(db, { asin: P3 });
  await insertVendorPrice(db, { vendor_id: v.id, asin: P3, cost: '10.00' });
  await updateRoi(db, { settings: roiSettingsFrom(deps.config), reason: 'test' });
  await db.pool.query(
    `INSERT INTO scores (marketplace, asin, scored_at, run_id, score, confidence, profitability, explanation)
     SELECT 'DE', x.asin, x.at::timestamptz, gen_random_uuid(), x.score, x.conf, x.score / 100,
            jsonb_build_object('profitability', 'set by the test')
     FROM (VALUES ($1, '2026-11-01T00:00:00Z', 99.0, 1.0), ($1, '2026-11-02T00:00:00Z', 10.0, 1.0),
                  ($2, '2026-11-02T00:00:00Z', 55.5, 0.5), ($3, '2026-11-02T00:00:00Z', 55.5, 0.75),
                  ($4, '2026-11-02T00:00:00Z', 90.0, 0.35)) AS x(asin, at, score, conf)`,
    [X1, X2, X3, X4],
  );
  await db.pool.query(
    `INSERT INTO scores_latest (marketplace, asin, scored_at, score, confidence)
     SELECT marketplace, asin, scored_at, score, confidence FROM scores
     WHERE asin = ANY($1) AND scored_at = '2026-11-02T00:00:00Z'`,
    [[X1, X2, X3, X4]],
  );
});

afterAll(async () => {
  await t?.close();
});

describe('GET /scores', () => {
  it('lists the latest score of every ASIN, best first, with components and explanations', async () => {
    const r = await get('/scores');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total: 6, page: 1, page_size: 50, sort: 'score', order: 'desc' });
    // ties (100, 55.5) break on asin in the sort's direction
    expect(r.body.items.map((i: { asin: string }) => i.asin)).toEqual([P2, P1, X4, X3, X2, X1]);
    const p1 = r.body.items[1];
    expect(p1).toMatchObject({
      asin: P1,
      marketplace: 'DE',
      score: 100,
      confidence: 0.35,
      run_id: runId,
      components: { profitability: 1, demand: null, competition: null, stability: null, returns: null },
    });
    expect(p1.explanation.profitability).toBe('ROI 111.7 % of the best offer (Alpha GmbH) → 1.00');
    expect(p1.explanation.stability).toBe('missing: 1 buy box price in 30 days (2 needed)');
    expect(r.body.items[5]).toMatchObject({ asin: X1, score: 10, confidence: 1 }); // not its older 99
  });

  it('filters by score range, minimum confidence and ASIN prefix', async () => {
    expect(await asins('score_min=50&score_max=95')).toEqual([X4, X3, X2]);
    expect(await asins('score_min=55.5&score_max=55.5')).toEqual([X3, X2]);
    expect(await asins('confidence_min=0.5')).toEqual([X3, X2, X1]);
    expect(await asins('asin=b0httpx')).toEqual([X4, X3, X2, X1]); // case-insensitive prefix
    expect(await asins('asin=B0HTTPX00&sort=asin')).toEqual([X1, X2, X3, X4]);
    expect(await asins(`asin=${P3}`)).toEqual([]);
    const r = await get('/scores?score_min=50&confidence_min=0.4');
    expect(r.body.total).toBe(2);
  });

  it('sorts by score, confidence or asin either way with a stable tie-break', async () => {
    expect(await asins('order=asc')).toEqual([X1, X2, X3, X4, P1, P2]);
    expect(await asins('sort=confidence&order=asc')).toEqual([P1, P2, X4, X2, X3, X1]);
    expect(await asins('sort=confidence')).toEqual([X1, X3, X2, X4, P2, P1]);
    expect(await asins('sort=asin&order=desc')).toEqual([X4, X3, X2, X1, P2, P1]);
  });

  it('pages', async () => {
    const r = await get('/scores?page_size=2&page=2');
    expect(r.body).toMatchObject({ total: 6, page: 2, page_size: 2 });
    expect(r.body.items.map((i: { asin: string }) => i.asin)).toEqual([X4, X3]);
    const past = await get('/scores?page_size=2&page=4');
    expect(past.body.total).toBe(6);
    expect(past.body.items).toEqual([]);
  });

  it('400 with details for bad parameters', async () => {
    for (const q of [
      'colour=red',
      'score_min=abc',
      'score_min=-1',
      'score_max=101',
      'score_min=60&score_max=50',
      'confidence_min=1.5',
      'asin=B0-',
      'asin=B0HTTPX0001',
      'sort=roi',
      'order=up',
      'page=0',
      'page_size=201',
    ]) {
      const r = await get(`/scores?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code, q).toBe('invalid');
      expect(typeof r.body.error.request_id, q).toBe('string');
    }
  });

  it('needs a token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/scores' });
    expect(res.statusCode).toBe(401);
  });
});

describe('scores in /roi and /sku', () => {
  it('puts the latest score, its confidence and time on each /roi row (null when unscored)', async () => {
    const r = await get('/roi?sort=asin');
    expect(r.status).toBe(200);
    const rows = Object.fromEntries(
      r.body.items.map((i: { asin: string }) => [i.asin, i] as const),
    ) as Record<string, { score: number | null; score_confidence: number | null; scored_at: string | null }>;
    expect(Object.keys(rows)).toEqual([P1, P2, P3]);
    expect(rows[P1]).toMatchObject({ score: 100, score_confidence: 0.35 });
    expect(Number.isNaN(Date.parse(rows[P1]!.scored_at!))).toBe(false);
    expect(rows[P3]).toMatchObject({ score: null, score_confidence: null, scored_at: null });
  });

  it('shows the score with components and explanation in /sku/{asin}', async () => {
    const r = await get(`/sku/${P1}`);
    expect(r.status).toBe(200);
    expect(r.body.score).toMatchObject({
      asin: P1,
      score: 100,
      confidence: 0.35,
      run_id: runId,
      components: { profitability: 1, demand: null },
      explanation: { profitability: 'ROI 111.7 % of the best offer (Alpha GmbH) → 1.00' },
    });
    expect((await get(`/sku/${P3}`)).body.score).toBeNull();
  });
});
