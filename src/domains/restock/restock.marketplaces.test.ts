import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSellerSku } from '../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';
import { restockJob } from './restock.job.ts';

// A plan is per (marketplace, week): each marketplace's plan keeps its own CSV, even when two
// marketplaces are planned in the same week over the same storage.

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await insertSellerSku(tdb.db, { sku: 'DE-ONLY', marketplace: 'DE' });
  await insertSellerSku(tdb.db, { sku: 'IT-ONLY', marketplace: 'IT' });
});

afterAll(async () => {
  await tdb?.drop();
});

describe('restock CSV keys', () => {
  it('restock/<marketplace>/YYYY-Www.csv: a second marketplace’s plan does not replace the first’s CSV', async () => {
    const germany = testJobDeps(tdb, { env: { AWA_MARKETPLACE: 'DE' } });
    // the same storage for both runs, as in production
    const italy = { ...testJobDeps(tdb, { env: { AWA_MARKETPLACE: 'IT' } }), store: germany.store };
    for (const deps of [germany, italy])
      expect((await runJob(restockJob, deps, new Metrics())).status).toBe('success');

    const { rows } = await tdb.db.pool.query(
      'SELECT marketplace::text, week, csv_key FROM restock_plans ORDER BY marketplace',
    );
    expect(rows).toEqual([
      { marketplace: 'DE', week: '2026-W48', csv_key: 'restock/DE/2026-W48.csv' },
      { marketplace: 'IT', week: '2026-W48', csv_key: 'restock/IT/2026-W48.csv' },
    ]);
    const csv = async (key: string) =>
      (await text(await germany.store.get(key))).trimEnd().split('\r\n').slice(1);
    expect((await csv('restock/DE/2026-W48.csv')).map((l) => l.split(',')[0])).toEqual(['DE-ONLY']);
    expect((await csv('restock/IT/2026-W48.csv')).map((l) => l.split(',')[0])).toEqual(['IT-ONLY']);
  });
});
