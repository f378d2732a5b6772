import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/fixtures/price-lists/files.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { loadConfig } from '../../platform/config.ts';
import { createHttpClient } from '../../platform/http/client.ts';
import { silentLogger } from '../../platform/logger.ts';
import { FsObjectStore } from '../../platform/storage/index.ts';
import { roiSettingsFrom } from '../roi/roi.service.ts';
import { type LogisticsDeps, loadRateCards } from './logistics.service.ts';

// Issue part 4, "partial loads never destroy good data": a rate card always loads its valid rows
// and skips the rest, so a card with bad rows is a partial load every time. Its loader only ever
// upserts lanes: a lane whose row is rejected, or which the card no longer lists, keeps its rate.

let tdb: TestDatabase;
let deps: LogisticsDeps;
const tmp = tempDir('awa-logistics-partial-');
const HEADER = 'carrier,origin,dest,service,eur_per_kg,effective_from,effective_to';

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

describe('a rate card with rejected rows', () => {
  it('keeps the stored rate of a lane whose row is rejected and of lanes it no longer lists', async () => {
    const card = path.join(tmp.dir, 'dpd.csv');
    writeFileSync(
      card,
      [HEADER, 'DPD,CZ,DE,std,1.00,,', 'DPD,PL,DE,std,2.00,,', 'DPD,AT,DE,std,3.00,,'].join('\n'),
    );
    expect((await loadRateCards(deps, { sources: [card], dryRun: false })).counts).toMatchObject({
      upserted: 3,
    });
    // next week's card: CZ's rate unreadable, AT gone, PL changed, HU new
    writeFileSync(
      card,
      [HEADER, 'DPD,CZ,DE,std,n/a,,', 'DPD,PL,DE,std,2.50,,', 'DPD,HU,DE,std,4.00,,'].join('\n'),
    );
    const s = await loadRateCards(deps, { sources: [card], dryRun: false });
    expect(s.sources[0]).toMatchObject({ status: 'loaded', rows: 3, upserted: 2, skipped: 1 });
    const { rows } = await tdb.db.pool.query(
      `SELECT carrier || ':' || origin AS lane, eur_per_kg::text AS rate FROM logistics_rates ORDER BY 1`,
    );
    expect(rows).toEqual([
      { lane: 'DPD:AT', rate: '3.0000' },
      { lane: 'DPD:CZ', rate: '1.0000' },
      { lane: 'DPD:HU', rate: '4.0000' },
      { lane: 'DPD:PL', rate: '2.5000' },
    ]);
  });
});
