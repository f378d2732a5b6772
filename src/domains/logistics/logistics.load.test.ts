import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/fixtures/price-lists/files.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { loadConfig } from '../../platform/config.ts';
import { createHttpClient } from '../../platform/http/client.ts';
import { silentLogger } from '../../platform/logger.ts';
import { FsObjectStore } from '../../platform/storage/index.ts';
import { roiSettingsFrom } from '../roi/roi.service.ts';
import { type LogisticsDeps, loadRateCards } from './logistics.service.ts';

// A rate card is a staged load like a price list or a report (platform/load): one lock, one
// load_log record, and a dry run that does the upsert and rolls it back.

let tdb: TestDatabase;
let deps: LogisticsDeps;
const tmp = tempDir('awa-logistics-load-');
const HEADER = 'carrier,origin,dest,service,eur_per_kg,effective_from,effective_to';
const card = path.join(tmp.dir, 'gls.csv');
const write = (...rows: string[]) => writeFileSync(card, [HEADER, ...rows].join('\n'));
const run = (dryRun = false) => loadRateCards(deps, { sources: [card], dryRun });

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = {
    db: tdb.db,
    store: new FsObjectStore(path.join(tmp.dir, 'objects')),
    storage: { STORAGE_DRIVER: 'local', dataDir: tmp.dir, S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: true },
    http: createHttpClient({ api: 'logistics', timeoutMs: 3_000, retries: 0 }),
    log: silentLogger,
    maxUncompressedBytes: 50 << 20,
    roiSettings: roiSettingsFrom(loadConfig({})),
  };
});

afterAll(async () => {
  await tdb?.drop();
  tmp.cleanup();
});

beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE logistics_rates, logistics_loadlog, load_log');
});

const q = async (sql: string) => (await tdb.db.pool.query(sql)).rows;
const state = async () => ({
  rates: await q(
    'SELECT carrier, origin, eur_per_kg::text AS rate, source FROM logistics_rates ORDER BY 1, 2',
  ),
  snapshots: await q('SELECT source, sha256, rows FROM logistics_loadlog ORDER BY loaded_at'),
  loads: await q('SELECT source, idempotency_key, status FROM load_log ORDER BY id'),
});

describe('rate cards as staged loads', () => {
  it('a dry run reports the counts the real run then has, and leaves rates, snapshots and load_log alone', async () => {
    write('GLS,DE,AT,std,1.00,,', 'GLS,DE,FR,std,2.00,,', 'GLS,DE,IT,std,3.00,,');
    await run();
    const before = await state();
    // FR changes, IT stays, PL is new, the NL row is invalid
    write('GLS,DE,FR,std,2.20,,', 'GLS,DE,IT,std,3.00,,', 'GLS,DE,PL,std,4.00,,', 'GLS,DE,NL,std,zero,,');
    const dry = await run(true);
    expect(await state()).toEqual(before);
    const real = await run();
    const counts = (s: typeof dry) =>
      s.sources.map(({ rows, upserted, unchanged, skipped, rejections }) => ({
        rows,
        upserted,
        unchanged,
        skipped,
        rejections,
      }));
    expect(counts(dry)).toEqual(counts(real));
    expect(dry.counts).toEqual(real.counts);
    expect(real.sources[0]).toMatchObject({
      status: 'loaded',
      rows: 4,
      upserted: 2,
      unchanged: 1,
      skipped: 1,
    });
    expect(dry.sources[0]!.status).toBe('would_load');
  });

  it('records each snapshot in load_log; only the latest counts, so a reverted card loads again', async () => {
    write('GLS,DE,AT,std,1.00,,');
    const a = await run();
    write('GLS,DE,AT,std,1.50,,');
    await run();
    write('GLS,DE,AT,std,1.00,,');
    const again = await run();
    expect(again.sources[0]).toMatchObject({ status: 'loaded', upserted: 1 });
    const { loads } = await state();
    // A's row is reused by its second load: one row per content, both of this source
    expect(loads).toEqual([
      { source: `rate_card:${card}`, idempotency_key: a.sources[0]!.sha256, status: 'success' },
      { source: `rate_card:${card}`, idempotency_key: expect.any(String), status: 'success' },
    ]);
    expect((await run()).sources[0]).toMatchObject({ status: 'unchanged', matched: 'sha256' });
  });

  it('a card with a header and no rows fails its source, naming the file, and records nothing', async () => {
    write();
    const err = await run().catch((e: unknown) => e);
    expect(err).toMatchObject({
      kind: 'invalid',
      details: { sources: [{ status: 'failed', error: 'gls.csv has a header but no data rows' }] },
    });
    expect(await state()).toEqual({ rates: [], snapshots: [], loads: [] });
  });
});
