import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixture, tempDir } from '../../../test/fixtures/reports/files.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { ingestTestDeps } from '../../../test/helpers/ingest.ts';
import { occurrenceCounter } from './ingest.repo.ts';
import { type IngestDeps, ingestReport } from './ingest.service.ts';

let tdb: TestDatabase;
let deps: IngestDeps;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  tmp = tempDir('awa-ledger-');
  deps = ingestTestDeps(tdb);
});

afterAll(async () => {
  await tdb.drop();
  tmp.cleanup();
});

beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE inventory_ledger_raw, load_log');
});

// ledger.tsv's data lines: 1 = 08/28 receipt, 2 and 3 = the same 09/01 shipment twice,
// 4 = 09/13 return, 5 = 09/14 adjustment
let seq = 0;
function ledger(lines: number[]): string {
  const all = readFileSync(fixture('ledger.tsv'), 'utf8').split('\n');
  seq += 1;
  const f = path.join(tmp.dir, `${seq}-ledger.tsv`);
  writeFileSync(f, `${[all[0], ...lines.map((n) => all[n]!)].join('\n')}\n`);
  return f;
}

const run = (file: string) => ingestReport(deps, { file, type: 'inventory_ledger' });

async function keys(): Promise<string[]> {
  const { rows } = await tdb.db.pool.query<{ k: string }>(
    `SELECT event_date::text || ' ' || event_type || ' #' || occurrence AS k
     FROM inventory_ledger_raw ORDER BY 1`,
  );
  return rows.map((r) => r.k);
}

describe('the ledger merge', () => {
  it('numbers identical rows the same whether or not the file is in date order', async () => {
    // 09/01 comes back after 09/13: the ingest leaves the numbering to the merge's window
    expect(await run(ledger([2, 4, 3]))).toMatchObject({ rows: 3, inserted: 3 });
    const unordered = await keys();
    expect(unordered).toEqual([
      '2026-09-01 Shipments #1',
      '2026-09-01 Shipments #2',
      '2026-09-13 CustomerReturns #1',
    ]);
    // the same rows in date order (numbered by the ingest) add nothing
    expect(await run(ledger([2, 3, 4]))).toMatchObject({ rows: 3, inserted: 0, duplicates: 3 });
    expect(await keys()).toEqual(unordered);
  });

  it('adds only the new rows of an overlap, and every row after the newest stored day', async () => {
    expect(await run(ledger([1, 2, 3]))).toMatchObject({ inserted: 3 });
    // 09/01 now has the shipment three times (one more), then two later days
    expect(await run(ledger([2, 3, 2, 4, 5]))).toMatchObject({ rows: 5, inserted: 3, duplicates: 2 });
    expect(await keys()).toEqual([
      '2026-08-28 Receipts #1',
      '2026-09-01 Shipments #1',
      '2026-09-01 Shipments #2',
      '2026-09-01 Shipments #3',
      '2026-09-13 CustomerReturns #1',
      '2026-09-14 Adjustments #1',
    ]);
    // a late row for a day before the newest stored one is still found
    expect(await run(ledger([1, 1, 5]))).toMatchObject({ inserted: 1, duplicates: 2 });
    expect((await keys()).filter((k) => k.startsWith('2026-08-28'))).toEqual([
      '2026-08-28 Receipts #1',
      '2026-08-28 Receipts #2',
    ]);
  });
});

describe('occurrenceCounter', () => {
  it('counts per day in either date order, and gives up (NULL) once a finished day comes back', () => {
    const next = occurrenceCounter();
    const seen = [
      next('2026-09-02', 'a'),
      next('2026-09-02', 'a'),
      next('2026-09-02', 'b'),
      next('2026-09-01', 'a'), // descending days are fine: each day is one block
      next('2026-09-01', 'a'),
      next('2026-09-02', 'a'), // 09/02 again: not in date order
      next('2026-09-03', 'c'),
    ];
    expect(seen).toEqual(['1', '2', '1', '1', '2', '\\N', '\\N']);
  });
});
