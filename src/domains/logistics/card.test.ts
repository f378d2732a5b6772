import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/fixtures/price-lists/files.ts';
import { isAppError } from '../../platform/errors.ts';
import { readRateCard } from './card.ts';
import { validateCard } from './validate.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/ratecards');
const tmp = tempDir('awa-ratecards-');
afterAll(() => tmp.cleanup());

async function load(file: string) {
  const card = await readRateCard(file, { fileName: path.basename(file), maxUncompressedBytes: 50 << 20 });
  return { card, ...validateCard(card, path.basename(file)) };
}
const fixture = (name: string) => load(path.join(FIXTURES, name));
const lanes = (rows: { carrier: string; origin: string; dest: string; service: string }[]) =>
  rows.map((r) => `${r.carrier}:${r.origin}:${r.dest}:${r.service}`);

async function failure(p: Promise<unknown>) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(err)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe('reading rate cards', () => {
  it('CSV: title rows, header variants, decimal commas, € signs, dotted dates, open validity', async () => {
    const r = await fixture('dhl-eu.csv');
    expect(r.card.format).toBe('csv');
    expect(r.card.columns).toMatchObject({ carrier: 'Carrier Name', eur_per_kg: 'Price per kg' });
    expect(r.skipped).toBe(0);
    expect(r.rows.map(({ line: _l, ...x }) => x)).toEqual([
      {
        carrier: 'DHL',
        origin: 'DE',
        dest: 'DE',
        service: 'standard',
        eur_per_kg: '0.85',
        effective_from: '2026-01-01',
        effective_to: null,
      },
      {
        carrier: 'DHL',
        origin: 'PL',
        dest: 'DE',
        service: 'standard',
        eur_per_kg: '1.1',
        effective_from: '2026-01-01',
        effective_to: '2026-12-31',
      },
      {
        carrier: 'DHL',
        origin: 'FR',
        dest: 'DE',
        service: 'express',
        eur_per_kg: '2.4',
        effective_from: '2026-01-01',
        effective_to: null,
      },
      // a per-kg rate: 1.234 €/kg, never 1234; no start → open start
      {
        carrier: 'UPS',
        origin: 'IT',
        dest: 'DE',
        service: 'standard',
        eur_per_kg: '1.234',
        effective_from: '1900-01-01',
        effective_to: null,
      },
    ]);
    expect(r.rows[0]!.line).toBe(5);
  });

  it('XLSX: numeric rates and real date cells, header below a title', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Rates');
    ws.addRow(['UPS rate card 2026']);
    ws.addRow(['CARRIER', 'ORIGIN_CODE', 'DESTINATION', 'SERVICE LEVEL', 'Rate', 'start-date', 'End Date']);
    ws.addRow(['UPS', 'NL', 'DE', 'express', 0.75, new Date(Date.UTC(2026, 2, 1)), '2026-12-31']);
    ws.addRow(['UPS', 'BE', 'DE', 'express', '0,70', '15.03.2026', null]);
    const file = path.join(tmp.dir, 'ups.xlsx');
    await wb.xlsx.writeFile(file);
    const r = await load(file);
    expect(r.card.format).toBe('xlsx');
    expect(r.rejections).toEqual([]);
    expect(
      r.rows.map(({ line, origin, eur_per_kg, effective_from, effective_to }) => ({
        line,
        origin,
        eur_per_kg,
        effective_from,
        effective_to,
      })),
    ).toEqual([
      { line: 3, origin: 'NL', eur_per_kg: '0.75', effective_from: '2026-03-01', effective_to: '2026-12-31' },
      { line: 4, origin: 'BE', eur_per_kg: '0.7', effective_from: '2026-03-15', effective_to: null },
    ]);
  });

  it('JSON: {rates: [...]} with key variants per item; bad items are row problems', async () => {
    const r = await fixture('rates.json');
    expect(r.card.format).toBe('json');
    expect(r.card.records).toHaveLength(4);
    expect(lanes(r.rows)).toEqual(['DPD:CZ:DE:standard', 'DPD:CZ:AT:standard']);
    expect(r.rows.map((x) => [x.eur_per_kg, x.effective_from, x.effective_to])).toEqual([
      ['0.95', '2026-01-01', null],
      ['1.05', '1900-01-01', '2026-12-31'],
    ]);
    expect(r.skipped).toBe(2);
    expect(r.rejections).toEqual([
      { line: 3, column: 'rate', value: 'n/a', reason: 'not a number' },
      { line: 4, column: '', value: '', reason: 'not an object' },
    ]);
  });

  it('JSON: a bare array works too', async () => {
    const file = tmp.write(
      'a.json',
      JSON.stringify([{ carrier: 'X', from: 'DE', to: 'FR', mode: 'road', rate: 2 }]),
    );
    expect(lanes((await load(file)).rows)).toEqual(['X:DE:FR:road']);
  });

  it('missing columns: the card fails, naming the headers it found', async () => {
    const err = await failure(fixture('missing-columns.csv'));
    expect(err.kind).toBe('invalid');
    expect(err.message).toContain('missing-columns.csv: the header (line 1) lacks the columns carrier');
    expect(err.message).toContain('service (service_level, mode), eur_per_kg (rate, price_per_kg)');
    expect(err.message).toContain('headers found: "Lane", "From", "To", "Price"');
  });

  it('no header at all, malformed JSON, a JSON document of the wrong shape', async () => {
    const noHeader = await failure(load(tmp.write('x.csv', 'hello,world\n1,2\n')));
    expect(noHeader.message).toMatch(
      /no header row .*needs the columns carrier.*Headers found \(line 1\): "hello", "world"/,
    );
    const bad = await failure(load(tmp.write('bad.json', '{"rates": [ {"carrier": "DHL",')));
    expect(bad.message).toMatch(/^bad\.json: not valid JSON/);
    const shape = await failure(load(tmp.write('shape.json', '{"lanes": []}')));
    expect(shape.message).toContain('a JSON rate card is an array of rates or {"rates": [...]}');
    const keys = await failure(load(tmp.write('keys.json', '[{"carrier": "DHL", "from": "DE"}]')));
    expect(keys.message).toContain('the JSON rate card lacks the columns dest');
    expect(keys.message).toContain('headers found: "carrier", "from"');
  });
});

describe('row rules', () => {
  it('skips invalid rows with line, column, value and reason; overlaps are reported on the later row', async () => {
    const r = await fixture('problems.csv');
    expect(r.card.records).toHaveLength(12);
    expect(r.rows.map((x) => [x.line, x.eur_per_kg, x.effective_from, x.effective_to])).toEqual([
      [2, '0.9', '2026-01-01', '2026-06-30'],
      [4, '1', '2026-07-01', null],
    ]);
    expect(r.skipped).toBe(10);
    expect(r.rejections).toEqual([
      {
        line: 3,
        column: 'valid_from',
        value: '2026-06-01…open',
        reason: 'validity overlaps line 2 (2026-01-01…2026-06-30) of the same lane GLS:DE:AT:standard',
      },
      { line: 5, column: 'rate', value: 'abc', reason: 'not a number' },
      { line: 6, column: 'rate', value: '0', reason: 'must be greater than 0' },
      { line: 7, column: 'rate', value: '-1.5', reason: 'must be greater than 0' },
      {
        line: 8,
        column: 'valid_from',
        value: 'next monday',
        reason: 'not a date (write YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY)',
      },
      {
        line: 9,
        column: 'origin',
        value: 'Germany',
        reason: 'not a 2-letter country code (e.g. DE, PL, GB)',
      },
      { line: 10, column: 'valid_to', value: '2026-02-01', reason: 'before effective_from (2026-03-01)' },
      {
        line: 11,
        column: 'carrier',
        value: 'DB Schenker',
        reason: 'must be 1–40 letters, digits, "_", "." or "-" (no spaces)',
      },
      { line: 12, column: 'rate', value: '', reason: 'missing value' },
      {
        line: 13,
        column: 'valid_from',
        value: '03/04/2026',
        reason: expect.stringContaining('ambiguous date: day and month could be either way'),
      },
    ]);
  });

  it('reports every bad cell of a row but counts the row once', async () => {
    const r = await load(tmp.write('two.csv', 'carrier,from,to,mode,rate\nDHL,DEU,XX1,road,zero\n'));
    expect(r.skipped).toBe(1);
    expect(r.rejections.map((x) => x.column)).toEqual(['from', 'to', 'rate']);
  });

  it('an open-ended row overlaps every later start of its lane; adjacent ranges do not overlap', async () => {
    const csv = [
      'carrier,origin,dest,service,rate,valid_from,valid_to',
      'DHL,DE,FR,std,1,2026-01-01,2026-03-31',
      'DHL,DE,FR,std,2,2026-04-01,',
      'DHL,DE,FR,std,3,2025-01-01,2025-12-31', // before both: fine, file order does not matter
      'DHL,DE,FR,std,4,2027-01-01,', // inside the open range of line 3
      'DHL,DE,FR,std,5,2026-01-01,2026-01-31', // same start as line 2 (same lane key)
      'DHL,DE,FR,express,6,2026-01-01,', // another lane
    ].join('\n');
    const r = await load(tmp.write('overlap.csv', csv));
    expect(r.rows.map((x) => x.line)).toEqual([2, 3, 4, 7]);
    expect(r.rejections.map((x) => [x.line, x.reason])).toEqual([
      [5, 'validity overlaps line 3 (2026-04-01…open) of the same lane DHL:DE:FR:std'],
      [6, 'validity overlaps line 2 (2026-01-01…2026-03-31) of the same lane DHL:DE:FR:std'],
    ]);
  });
});

describe('d/m versus m/d dates', () => {
  const card = (dates: string[]) =>
    ['carrier,origin,dest,service,rate,valid_from', ...dates.map((d, i) => `C${i},DE,FR,std,1,${d}`)].join(
      '\n',
    );

  it('a day above 12 elsewhere in the card makes it day-first', async () => {
    const r = await load(tmp.write('dmy.csv', card(['03/04/2026', '13/04/2026'])));
    expect(r.dateOrder).toBe('day_first');
    expect(r.rows.map((x) => x.effective_from)).toEqual(['2026-04-03', '2026-04-13']);
  });

  it('a second part above 12 makes it month-first', async () => {
    const r = await load(tmp.write('mdy.csv', card(['03/04/2026', '04/13/2026', '5/5/26'])));
    expect(r.dateOrder).toBe('month_first');
    expect(r.rows.map((x) => x.effective_from)).toEqual(['2026-03-04', '2026-04-13', '2026-05-05']);
  });

  it('a card proving both orders is rejected as a whole, naming file, lines, columns and values', async () => {
    const e = await failure(load(tmp.write('both.csv', card(['13/04/2026', '03/04/2026', '04/13/2026']))));
    expect(e.kind).toBe('invalid');
    expect(e.message).toContain('both.csv: day and month order contradicts itself');
    expect(e.message).toContain(
      'line 4, column "valid_from", value "04/13/2026": month-first — the middle number is above 12',
    );
    expect(e.message).toContain(
      'line 2, column "valid_from", value "13/04/2026": day-first — the first number is above 12',
    );
  });

  it('the validity end counts as evidence too, in a JSON card by item', async () => {
    const json = JSON.stringify([
      {
        carrier: 'C1',
        origin: 'DE',
        dest: 'FR',
        service: 'std',
        rate: 1,
        valid_from: '03/04/2026',
        valid_to: '30/04/2026',
      },
    ]);
    const r = await load(tmp.write('json-dmy.json', json));
    expect(r.dateOrder).toBe('day_first');
    expect(r.rows.map((x) => [x.effective_from, x.effective_to])).toEqual([['2026-04-03', '2026-04-30']]);
  });

  it('impossible dates are rejected as such', async () => {
    const r = await load(tmp.write('feb.csv', card(['31.02.2026', '1899-12-31'])));
    expect(r.rejections.map((x) => x.reason)).toEqual(['not a real calendar date', 'year outside 1900–9999']);
  });
});
