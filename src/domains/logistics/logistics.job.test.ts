import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertListing,
  insertLogisticsRate,
  insertVendor,
  insertVendorPrice,
} from '../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { findJob, schedulesFor } from '../../jobs/registry.ts';
import { loadConfig } from '../../platform/config.ts';
import { runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';
import { updateRoi } from '../roi/roi.service.ts';
import { logisticsJob } from './logistics.job.ts';
import type { LoadSummary } from './logistics.service.ts';

let tdb: TestDatabase;
let asin: string;
const dir = path.join(os.tmpdir(), `awa-logistics-job-${process.pid}`);
const card = path.join(dir, 'dhl.csv');

const query = async (text: string, values: unknown[] = []) => (await tdb.db.pool.query(text, values)).rows;
const freight = async () =>
  (await query('SELECT lane, eur_per_kg::text, freight::text FROM roi_offers WHERE asin = $1', [asin]))[0];
// the agent's clock: ROI's "today", so which rates are in force, follows it
const AT = '2026-11-28T10:00:00Z';
const run = (env: Record<string, string>, dryRun = false) =>
  runJob(logisticsJob, testJobDeps(tdb, { env, clock: AT }), new Metrics(), { dryRun, trigger: 'manual' });

beforeAll(async () => {
  tdb = await createTestDatabase();
  mkdirSync(dir, { recursive: true });
  // the default lane at 2.00 €/kg; a 0.5 kg product from a German vendor → freight 1.00
  await insertLogisticsRate(tdb.db, { eur_per_kg: '2.00' });
  ({ asin } = await insertListing(tdb.db));
  const v = await insertVendor(tdb.db, { country: 'DE' });
  await insertVendorPrice(tdb.db, { vendor_id: v.id, asin, sku: 'LOG-1' });
  await updateRoi(tdb.db);
  // a new DHL rate in force since 10 days before the agent's clock: ROI takes the lane's latest start
  writeFileSync(
    card,
    [
      'Carrier;From;To;Service;Rate;Valid from',
      'DHL;DE;DE;standard;3,00;2026-11-18',
      'DHL;DE;DE;standard;x;',
    ].join('\n'),
  );
});

afterAll(async () => {
  await tdb.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('logistics agent', () => {
  it('is registered, daily at 05:00 UTC by default', () => {
    expect(findJob('logistics')).toBe(logisticsJob);
    expect(schedulesFor(loadConfig({})).get('logistics')).toBe('0 5 * * *');
    expect(schedulesFor(loadConfig({ LOGISTICS_CRON: '30 6 * * 1' })).get('logistics')).toBe('30 6 * * 1');
  });

  it('without LOGISTICS_SOURCES records a skipped run: not_configured', async () => {
    const r = await run({});
    expect(r).toMatchObject({ status: 'skipped', reason: 'not_configured', error: null });
    const [row] = await query('SELECT agent, status, reason FROM agent_runs WHERE id = $1', [r.run_id]);
    expect(row).toEqual({ agent: 'logistics', status: 'skipped', reason: 'not_configured' });
  });

  it('--dry-run reports per source in result, counts summed, and changes neither rates nor ROI', async () => {
    const r = await run({ LOGISTICS_SOURCES: `${card}, ${path.join(dir, 'gone.csv')}` }, true);
    expect(r).toMatchObject({
      status: 'success',
      dry_run: true,
      counts: { sources: 2, rows: 2, upserted: 1, unchanged: 0, skipped: 1, failed_sources: 1 },
      reason: '1 of 2 sources failed',
    });
    const [rec] = await query('SELECT dry_run, counts FROM agent_runs WHERE id = $1', [r.run_id]);
    expect(rec).toEqual({ dry_run: true, counts: r.counts });
    const result = r.result as LoadSummary;
    expect(result.sources.map((s) => [s.source, s.status])).toEqual([
      [card, 'would_load'],
      [path.join(dir, 'gone.csv'), 'failed'],
    ]);
    expect(result.sources[0]!.rejections).toEqual([
      { line: 3, column: 'Rate', value: 'x', reason: 'not a number' },
    ]);
    expect(await query('SELECT count(*)::int AS n FROM logistics_rates')).toEqual([{ n: 1 }]);
    expect(await query('SELECT count(*)::int AS n FROM logistics_loadlog')).toEqual([{ n: 0 }]);
    expect(await freight()).toEqual({ lane: 'DHL:DE:DE:standard', eur_per_kg: '2.0000', freight: '1.0000' });
  });

  it('a real run loads the card and refreshes ROI: freight uses the new rate', async () => {
    const r = await run({ LOGISTICS_SOURCES: card });
    expect(r).toMatchObject({ status: 'success', counts: { upserted: 1, skipped: 1, failed_sources: 0 } });
    expect((r.result as LoadSummary).roi_refreshed).toBe(true);
    expect(await freight()).toEqual({ lane: 'DHL:DE:DE:standard', eur_per_kg: '3.0000', freight: '1.5000' });
    const [last] = await query('SELECT reason FROM roi_refreshes ORDER BY id DESC LIMIT 1');
    expect(last).toEqual({ reason: 'logistics' });
    // the same card again: unchanged, no refresh
    const again = await run({ LOGISTICS_SOURCES: card });
    expect(again.counts).toMatchObject({ sources: 1, rows: 0, upserted: 0 });
    expect((again.result as LoadSummary).sources[0]!.status).toBe('unchanged');
  });

  it('fails, with the per-source report, only when every source failed', async () => {
    const r = await run({
      LOGISTICS_SOURCES: `${path.join(dir, 'a.csv')},file://${path.join(dir, 'b.csv')}`,
    });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/^every rate card source failed .*a\.csv: no such file/);
    expect(r.retryable).toBe(false);
    expect((r.result as LoadSummary).counts).toMatchObject({ sources: 2, failed_sources: 2 });
  });
});
