import { afterAll, describe, expect, it } from 'vitest';
import { appError, DEFAULTS, parseFile, tempDir } from '../../../../test/fixtures/price-lists/files.ts';
import { openPriceList } from './index.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('rows', () => {
  it('counts physical lines across quoted line breaks and CRLF', async () => {
    const content =
      'SKU,Title,Cost\r\nA1,"two\r\nlines",1.00\r\n\r\nA2,x,abc\r\nA3,"a\nb\nc",2\r\nA4,y,3\r\n';
    const { rows, rejected } = await parseFile(tmp.write('lines.csv', content));
    expect(rows.map((r) => [r.sku, r.line])).toEqual([
      ['A1', 2],
      ['A3', 6],
      ['A4', 9],
    ]);
    expect(rows[0]!.title).toBe('two\r\nlines');
    expect(rejected).toEqual([
      {
        ok: false,
        line: 5,
        rejections: [{ line: 5, column: 'Cost', value: 'abc', reason: 'cost is not a number' }],
      },
    ]);
  });

  it('divides a case price by the pack size, rounding half up to 4 decimals', async () => {
    const content = [
      'SKU;Case pack;Case price',
      'A;12;10,00',
      'B;12;5',
      'C;1;7,50',
      'D;;7,50',
      'E;3;0,0001',
      'F;10000000;1,00',
    ].join('\n');
    const { header, rows, rejected } = await parseFile(tmp.write('case.csv', content));
    expect(header.perCase).toBe(true);
    expect(rows.map((r) => [r.sku, r.cost, r.pack_size])).toEqual([
      ['A', '0.8333', 12],
      ['B', '0.4167', 12],
      ['C', '7.5', 1],
      ['D', '7.5', 1],
    ]);
    expect(rejected.map((r) => [r.line, r.rejections[0]!.reason])).toEqual([
      [6, 'unit cost rounds to 0 (case price / 3)'],
      [7, 'unit cost rounds to 0 (case price / 10000000)'],
    ]);
  });

  it('lets --map override detection', async () => {
    const file = tmp.write('map.csv', 'Art.-Nr.;Preis;Sonderpreis\nA1;9,99;7,49\n');
    expect((await parseFile(file)).rows[0]).toMatchObject({ sku: 'A1', cost: '9.99' });
    const mapped = await parseFile(file, { map: { sonderpreis: 'cost' } });
    expect(mapped.header.columns).toEqual({ sku: 'Art.-Nr.', cost: 'Sonderpreis' });
    expect(mapped.rows[0]).toMatchObject({ sku: 'A1', cost: '7.49' });
  });

  it('lets --map make an unrecognisable header usable', async () => {
    const file = tmp.write('nr.csv', 'Nr;Betrag;Betreff\nA1;7,49;Stift\n');
    expect((await appError(parseFile(file))).message).toContain(
      'line 1: "Nr", "Betrag", "Betreff" — missing',
    );
    const mapped = await parseFile(file, { map: { Nr: 'sku', Betrag: 'cost', Betreff: 'title' } });
    expect(mapped.header.columns).toEqual({ sku: 'Nr', cost: 'Betrag', title: 'Betreff' });
    expect(mapped.rows).toMatchObject([{ line: 2, sku: 'A1', cost: '7.49', title: 'Stift' }]);
  });

  it('uses the barcode (or ASIN) as the SKU when there is no SKU', async () => {
    const ean = await parseFile(tmp.write('ean.csv', 'EAN;Preis\n36000291452;1,00\n'));
    expect(ean.rows[0]).toMatchObject({ sku: '036000291452', barcode: '036000291452' });
    const asin = await parseFile(tmp.write('asin.csv', 'ASIN,Cost,SKU\nb00abc1234,2.00,\n,3.00,\n'));
    expect(asin.rows[0]).toMatchObject({ sku: 'B00ABC1234', asin: 'B00ABC1234' });
    expect(asin.rejected[0]!.rejections).toEqual([
      { line: 3, column: 'SKU', value: '', reason: 'no SKU, ASIN or barcode' },
    ]);
  });

  it('rejects over-long SKUs and truncates over-long titles', async () => {
    const long = await parseFile(
      tmp.write('long.csv', `SKU,Title,Cost\n${'S'.repeat(65)},t,1\nA,${'t'.repeat(600)},1\n`),
    );
    expect(long.rejected[0]!.rejections[0]).toMatchObject({
      line: 2,
      column: 'SKU',
      reason: 'SKU is longer than 64 characters',
    });
    expect(long.rows[0]!.title).toHaveLength(500);
  });
});

describe('stopping early', () => {
  it('closes the file when the caller breaks out of the rows', async () => {
    const body = `SKU,Cost\n${'A,1.00\n'.repeat(300_000)}`;
    const file = tmp.write('break.csv', body);
    const { rows } = await openPriceList(file, DEFAULTS);
    let n = 0;
    for await (const r of rows) {
      expect(r.ok).toBe(true);
      if (++n === 10) break;
    }
    expect(n).toBe(10);
    // the iterator is finished: nothing more comes out
    expect(await rows[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
  });
});
