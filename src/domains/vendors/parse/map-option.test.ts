import { describe, expect, it } from 'vitest';
import { cliMessage } from '../../../cli/output.ts';
import { isAppError } from '../../../platform/errors.ts';
import { parseMapOption } from './map-option.ts';

function errorOf(fn: () => unknown): { kind: string; message: string; cli: string; details: unknown } {
  try {
    fn();
  } catch (err) {
    if (isAppError(err))
      return { kind: err.kind, message: err.message, cli: cliMessage(err), details: err.details };
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('parseMapOption', () => {
  it('parses repeated "Column=field" specs', () => {
    expect(parseMapOption(['Col Name=cost', ' EAN/UPC = barcode ', 'Lead=lead_time_days'])).toEqual({
      'Col Name': 'cost',
      'EAN/UPC': 'barcode',
      Lead: 'lead_time_days',
    });
    expect(parseMapOption([])).toEqual({});
  });

  it('splits at the last "=" and accepts forgiving field spellings', () => {
    expect(parseMapOption(['a=b=sku', 'Pack=pack-size', 'Days=lead time'])).toEqual({
      'a=b': 'sku',
      Pack: 'pack_size',
      Days: 'lead_time_days',
    });
  });

  it('names a spec without "=" or with an empty side: the field for the API, the flag for the CLI', () => {
    for (const spec of ['Col Name', '=cost', 'Col=', '  =  ']) {
      const e = errorOf(() => parseMapOption([spec]));
      expect(e.kind).toBe('invalid');
      expect(e.message).toBe(`map "${spec}": expected "Column name=field"`);
      expect(e.cli).toBe(`--map "${spec}": expected "Column name=field"`);
      expect(e.details).toEqual({ field: 'map', value: spec, rule: 'column_eq_field' });
    }
  });

  it('names an unknown field and lists the valid ones', () => {
    const e = errorOf(() => parseMapOption(['Col=colour']));
    expect(e.message).toContain('unknown field "colour"');
    expect(e.message).toContain('sku, asin, barcode, cost');
  });

  it('refuses one column mapped twice or one field from two columns', () => {
    expect(errorOf(() => parseMapOption(['Price=cost', 'price=title'])).message).toContain(
      'already mapped to cost',
    );
    expect(errorOf(() => parseMapOption(['Price=cost', 'Net=cost'])).message).toContain(
      'cost is already mapped to column "Price"',
    );
  });
});
