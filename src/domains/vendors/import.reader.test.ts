import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULTS, encode1252, tempDir } from '../../../test/fixtures/price-lists/files.ts';
import { AppError } from '../../platform/errors.ts';
import { FingerprintSet } from '../../platform/fingerprint.ts';
import { openPriceListReader, type PriceListReader } from './import.reader.ts';
import { type PassChunk, RepeatedSku, type ScreenPlan } from './import.screen.ts';

// The parser runs in a worker thread: what it finds must reach the caller as if it ran here.

const tmp = tempDir('awa-reader-');
afterAll(() => tmp.cleanup());

async function drain(reader: PriceListReader, plan: ScreenPlan = { mode: 'staged' }, skipInvalid = false) {
  const all: PassChunk[] = [];
  try {
    for await (const c of reader.pass(plan, skipInvalid)) all.push(c);
  } finally {
    await reader.close();
  }
  const text = Buffer.concat(all.flatMap((c) => c.copy)).toString('utf8');
  const sum = (k: 'rows' | 'rejected' | 'loaded' | 'unchanged') => all.reduce((n, c) => n + c[k], 0);
  return {
    lines: text.split('\n').filter((l) => l !== ''),
    rows: sum('rows'),
    rejected: sum('rejected'),
    loaded: sum('loaded'),
    unchanged: sum('unchanged'),
    rejections: all.flatMap((c) => c.rejections),
  };
}

async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('price-list reader (worker thread)', () => {
  it('reports the header, then the rows as COPY text with their counts and problems', async () => {
    const f = tmp.write('ok.csv', 'SKU;Bezeichnung;Preis\nA1;Öl;1,50\nA2;Tab;abc\nA3;Brot\\Laib;2\n');
    const reader = await openPriceListReader(f, DEFAULTS);
    expect(reader.header).toMatchObject({
      format: 'csv',
      delimiter: ';',
      columns: { sku: 'SKU', cost: 'Preis' },
    });
    const r = await drain(reader, { mode: 'staged' }, true);
    expect(r).toMatchObject({ rows: 3, rejected: 1, loaded: 2 });
    expect(r.rejections).toEqual([
      { line: 3, column: 'Preis', value: 'abc', reason: 'cost is not a number' },
    ]);
    expect(r.lines.map((l) => l.split('\t').slice(0, 6))).toEqual([
      ['2', 'A1', '\\N', '\\N', 'Öl', '1.5'],
      ['4', 'A3', '\\N', '\\N', 'Brot\\\\Laib', '2'],
    ]);
  });

  it('turns a file-level problem into the same AppError, details included', async () => {
    const f = tmp.write('notes.csv', 'just some notes\nand more\n');
    const e = await thrown(openPriceListReader(f, DEFAULTS));
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ kind: 'invalid', details: { file: 'notes.csv' } });
    expect((e as AppError).message).toMatch(/^notes\.csv: no header row in the first 2 non-blank rows/);

    const mapped = tmp.write('mapped.csv', 'SKU;Preis\nA1;1\n');
    const m = await thrown(openPriceListReader(mapped, { ...DEFAULTS, map: { 'EK netto': 'cost' } }));
    expect(m).toMatchObject({
      kind: 'invalid',
      details: { field: 'map', rule: 'in_header', file: 'mapped.csv' },
    });
  });

  it('turns a problem found mid-file into the same AppError, naming file and line', async () => {
    const rows = 'A1;item;1,50\n'.repeat(90_000);
    const bytes = Buffer.concat([Buffer.from(`SKU;Title;Preis\n${rows}`), encode1252('Z9;Käse;2,00\n')]);
    const reader = await openPriceListReader(tmp.write('late.csv', bytes), DEFAULTS);
    const e = await thrown(drain(reader, { mode: 'staged' }));
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({
      kind: 'invalid',
      message:
        'late.csv: line 90002 is not valid UTF-8 (byte 0xE4) although the lines before it are; ' +
        'the file mixes text encodings — save it as UTF-8 and try again',
      details: { file: 'late.csv', line: 90002, byte: '0xE4' },
    });
  });

  it('stops at a repeated SKU with RepeatedSku, unless every row is staged', async () => {
    const f = tmp.write('twice.csv', 'sku,cost\nA,1\nB,2\nA,3\n');
    expect(
      await thrown(
        drain(await openPriceListReader(f, DEFAULTS), {
          mode: 'changed',
          stored: new FingerprintSet().table(),
        }),
      ),
    ).toBeInstanceOf(RepeatedSku);
    const staged = await drain(await openPriceListReader(f, DEFAULTS), { mode: 'staged' });
    expect(staged).toMatchObject({ rows: 3, loaded: 3 });
  });

  it('holds back while the main thread has not taken its chunks, and can be closed mid-way', async () => {
    const f = tmp.write(
      'big.csv',
      `sku,cost\n${Array.from({ length: 60_000 }, (_, i) => `S${i},1.${i % 100}`).join('\n')}\n`,
    );
    const reader = await openPriceListReader(f, DEFAULTS);
    const it = reader.pass({ mode: 'staged' }, false)[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    await reader.close();
  });
});
