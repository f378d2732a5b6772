import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { afterAll, expect, it } from 'vitest';
import { OPTS, tempDir } from '../../../../test/fixtures/reports/files.ts';
import { openReport } from './index.ts';

const tmp = tempDir('awa-reports-perf-');
afterAll(() => tmp.cleanup());

const ROWS = 200_000;
const EVENTS = ['Shipments', 'Receipts', 'CustomerReturns', 'Adjustments', 'WhseTransfers'];

/**
 * An Inventory Ledger detailed view as Amazon ships it (US dates, negative quantities), ~33 MB,
 * written in chunks so that the test's own garbage does not count as the parser's memory.
 */
function generate(): string {
  const file = tmp.write(
    'ledger-200k.tsv',
    'Date\tFNSKU\tASIN\tMSKU\tTitle\tEvent Type\tReference ID\tQuantity\tFulfillment Center\tDisposition\t' +
      'Reason\tCountry\tReconciled Quantity\tUnreconciled Quantity\tDate and Time\n',
  );
  for (let start = 0; start < ROWS; start += 10_000) {
    const parts: string[] = [];
    for (let i = start; i < start + 10_000; i++) {
      const month = 1 + (i % 12);
      const day = 1 + (i % 28);
      const event = EVENTS[i % EVENTS.length]!;
      const qty = event === 'Shipments' ? -(1 + (i % 3)) : 1 + (i % 24);
      const iso = `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T10:00:00-07:00`;
      parts.push(
        `${month}/${day}/2026\tX00${i % 9000}\tB0${String(i % 9000).padStart(8, '0')}\tSKU-${i % 9000}\t` +
          `Product ${i % 9000} with a longer descriptive title\t${event}\t${i % 7 === 0 ? `FBA17${i}` : ''}\t${qty}\t` +
          `PHX${i % 9}\tSELLABLE\t\tUS\t\t\t${iso}\n`,
      );
    }
    appendFileSync(file, parts.join(''));
  }
  return file;
}

it('parses a 200,000-row ledger without holding it', async () => {
  const file = generate();
  global.gc?.();
  const t0 = performance.now();
  const { type, rows } = await openReport(file, OPTS);
  let ok = 0;
  let rejected = 0;
  let peak = 0;
  let negative = 0;
  for await (const r of rows) {
    if (r.ok) {
      ok++;
      if (r.values[7]!.startsWith('-')) negative++;
    } else rejected++;
    if ((ok + rejected) % 20_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const seconds = (performance.now() - t0) / 1000;
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  console.log(
    `report parse: ${ROWS} ledger rows in ${seconds.toFixed(2)} s = ${Math.round(ROWS / seconds)} rows/s`,
  );
  expect(type).toBe('inventory_ledger');
  expect([ok, rejected]).toEqual([ROWS, 0]);
  expect(negative).toBe(ROWS / EVENTS.length);
  expect(peak).toBeLessThan(200 * 1024 * 1024);
  // generous: a quiet 2-core machine does it several times faster
  expect(ROWS / seconds).toBeGreaterThan(15_000);
});
