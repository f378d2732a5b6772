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
 * What the Scores page needs beyond GET /scores' basics: the title and best offer's vendor per row,
 * the vendor and confidence-range filters, the weights behind the math, and the CSV download.
 * A1, A2 are best offered by Alpha (cost 10 against a 29.99 buy box: score 100, confidence 0.35), B1
 * by Beta; X1 is a stored score with no offer (confidence 1).
 */
const [A1, A2, B1, X1] = ['B0SCPGA001', 'B0SCPGA002', 'B0SCPGB001', 'B0SCPGX001'];

let t: TestApp;
let viewer: string;
let alpha: number;
let beta: number;

async function get(url: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { authorization: viewer } });
  return {
    status: res.statusCode,
    body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body,
    res,
  };
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
  alpha = (await insertVendor(db, { name: 'Alpha GmbH' })).id;
  beta = (await insertVendor(db, { name: 'Beta, "the" Ltd' })).id;
  await insertListing(db, { asin: A1, title: '=Mug, blue' });
  await insertListing(db, { asin: A2 });
  await insertListing(db, { asin: B1 });
  await insertVendorPrice(db, { vendor_id: alpha, asin: A1, cost: '10.00' });
  await insertVendorPrice(db, { vendor_id: alpha, asin: A2, cost: '10.00' });
  await insertVendorPrice(db, { vendor_id: beta, asin: B1, cost: '20.00' });
  const deps = testJobDeps(t.tdb, { clock: systemClock, env: { VAT_RATE: '0' } });
  await updateRoi(db, { settings: roiSettingsFrom(deps.config), reason: 'test' });
  const run = await runJob(scoringJob, deps, new Metrics());
  expect(run.counts).toMatchObject({ scored: 3 });
  await db.pool.query(
    `INSERT INTO scores (marketplace, asin, scored_at, run_id, score, confidence, profitability, explanation)
     VALUES ('DE', $1, now(), gen_random_uuid(), 42, 1, 0.42, '{"profitability": "set by the test"}')`,
    [X1],
  );
  await db.pool.query(
    `INSERT INTO scores_latest (marketplace, asin, scored_at, score, confidence)
     SELECT marketplace, asin, scored_at, score, confidence FROM scores WHERE asin = $1`,
    [X1],
  );
});

afterAll(async () => {
  await t?.close();
});

describe('GET /scores for the Scores page', () => {
  it('gives each row its title and best offer vendor, and the weights the score is built from', async () => {
    const r = await get('/scores?sort=asin');
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { asin: string }) => i.asin)).toEqual([A1, A2, B1, X1]);
    expect(r.body.items[0]).toMatchObject({
      title: '=Mug, blue',
      vendor_id: alpha,
      vendor_name: 'Alpha GmbH',
    });
    expect(r.body.items[2]).toMatchObject({ vendor_id: beta, vendor_name: 'Beta, "the" Ltd' });
    expect(r.body.items[3]).toMatchObject({ vendor_id: null, vendor_name: null });
    const w = r.body.weights;
    expect(Object.keys(w).sort()).toEqual(['competition', 'demand', 'profitability', 'returns', 'stability']);
    expect(w.profitability).toBeCloseTo(0.35, 6);
    expect(Object.values(w as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('filters by the best offer vendor and a confidence range', async () => {
    expect(await asins(`vendor=${alpha}&sort=asin`)).toEqual([A1, A2]);
    expect(await asins(`vendor=${beta}`)).toEqual([B1]);
    expect(await asins('vendor=999999')).toEqual([]);
    expect(await asins('confidence_max=0.5&sort=asin')).toEqual([A1, A2, B1]);
    expect(await asins('confidence_min=0.9&confidence_max=1')).toEqual([X1]);
    const bad = await get('/scores?confidence_min=0.8&confidence_max=0.2');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ field: 'confidence_min', message: expect.any(String) }]);
    expect((await get('/scores?vendor=abc')).status).toBe(400);
  });

  it('downloads the filtered set as CSV with every component and its reason', async () => {
    const r = await get(`/scores.csv?vendor=${alpha}&sort=asin&order=desc`);
    expect(r.status).toBe(200);
    expect(r.res.headers['content-type']).toContain('text/csv');
    expect(r.res.headers['content-disposition']).toMatch(
      /^attachment; filename="awa-scores-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = (r.body as string)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'asin,title,vendor_name,score,confidence,profitability,demand,competition,stability,returns,' +
        'profitability_why,demand_why,competition_why,stability_why,returns_why,scored_at',
    );
    expect(lines.slice(1).map((l) => l.slice(0, 10))).toEqual([A2, A1]);
    // a title a spreadsheet would run as a formula arrives as text
    expect(lines[2]).toContain(
      `${A1},"'=Mug, blue",Alpha GmbH,100,0.35,1,,,,,ROI 111.7 % of the best offer (Alpha GmbH) → 1.00,missing:`,
    );
    expect((await get('/scores.csv?score_min=80&score_max=10')).status).toBe(400);
    expect((await get('/scores.csv?page=2')).status).toBe(400);
  });
});
