import { afterAll, expect, it } from 'vitest';
import { DEFAULTS, tempDir } from '../../../../test/fixtures/price-lists/files.ts';
import { openPriceList } from './index.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const ROWS = 200_000;

/** A German-style list: title rows, `;`, decimal commas and thousands dots, about 15 MB. */
function generate(): string {
  const parts = ['Preisliste;;;;;\n', ';;;;;\n', 'Art.-Nr.;EAN;Bezeichnung;Einkaufspreis;VPE;MOQ\n'];
  for (let i = 0; i < ROWS; i++) {
    const euros = 1 + (i % 4000);
    parts.push(
      `A${i};4006381333931;Artikel ${i} mit längerer Beschreibung;${euros.toLocaleString('de-DE')},${String(i % 100).padStart(2, '0')};12;24\n`,
    );
  }
  return parts.join('');
}

it('streams 200,000 rows without holding them', async () => {
  const file = tmp.write('big.csv', generate());
  global.gc?.();
  const { rows } = await openPriceList(file, DEFAULTS);
  let ok = 0;
  let rejected = 0;
  let peak = 0;
  let last = '';
  for await (const r of rows) {
    if (r.ok) {
      ok++;
      last = r.row.cost;
    } else rejected++;
    if ((ok + rejected) % 20_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  expect(ok + rejected).toBe(ROWS);
  expect(rejected).toBe(0);
  // row 199999: 4000 → "4.000,99" must read as 4000.99
  expect(last).toBe('4000.99');
  expect(peak).toBeLessThan(200 * 1024 * 1024);
});
