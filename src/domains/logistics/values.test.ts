import { describe, expect, it } from 'vitest';
import { DateOrderJudge } from '../../platform/tabular/index.ts';
import { headerKey } from './columns.ts';
import { parseCardDate, parseCountry, parseName, parseRate } from './values.ts';

const text = (t: string) => ({ text: t, numeric: false });

describe('rate card values', () => {
  it('headers match case-, space-, underscore- and hyphen-insensitively', () => {
    expect(
      new Set(['Valid From', 'valid_from', 'VALID-FROM', ' validfrom', '\uFEFFValid  From'].map(headerKey)),
    ).toEqual(new Set(['validfrom']));
  });

  it('rates: decimal comma or point, € or EUR, rounded to 4 places; zero, negative and text rejected', () => {
    const ok = (t: string) => {
      const r = parseRate(text(t));
      return r.ok ? r.value : r.reason;
    };
    expect(
      ['1,25', '1.25', '€1,25', '1,25 €', '1.25 EUR', '0,125', '1.234', '1,234', '1.234,5', '0.123456'].map(
        ok,
      ),
    ).toEqual(['1.25', '1.25', '1.25', '1.25', '1.25', '0.125', '1.234', '1.234', '1234.5', '0.1235']);
    expect(['0', '0,00', '-1', '(2)', '0.00001'].map(ok)).toEqual(Array(5).fill('must be greater than 0'));
    expect(['abc', '1,2,3,4', '$1.20', ''].map(ok)).toEqual(Array(4).fill('not a number'));
    expect(ok('123456789')).toBe('too large (at most 99999999.9999 €/kg)');
    expect(parseRate({ text: '0.3', numeric: true })).toEqual({ ok: true, value: '0.3' });
  });

  it('countries are 2-letter codes, upper-cased; UK is GB', () => {
    expect(['de', ' PL ', 'uk'].map((c) => parseCountry(c))).toEqual([
      { ok: true, value: 'DE' },
      { ok: true, value: 'PL' },
      { ok: true, value: 'GB' },
    ]);
    for (const c of ['DEU', 'D', 'Germany', '1A']) expect(parseCountry(c).ok).toBe(false);
  });

  it('carrier and service keep their case; spaces and long names are rejected', () => {
    expect(parseName(' DHL_Express ')).toEqual({ ok: true, value: 'DHL_Express' });
    expect(parseName('DB Schenker').ok).toBe(false);
    expect(parseName('x'.repeat(41)).ok).toBe(false);
  });

  it('only ambiguous dates depend on the card’s order, and are unreadable while nothing settles it', () => {
    const order = (o: 'day_first' | 'month_first' | 'unknown') => {
      const judge = new DateOrderJudge('card.csv', null);
      if (o === 'day_first') judge.cell(2, 2, 'valid_from', '25/04/2026');
      if (o === 'month_first') judge.cell(3, 2, 'valid_from', '04/25/2026');
      return judge;
    };
    const d = (t: string, o: 'day_first' | 'month_first' | 'unknown') => parseCardDate(text(t), order(o));
    expect(d('03/04/2026', 'day_first')).toEqual({ ok: true, value: '2026-04-03' });
    expect(d('03/04/2026', 'month_first')).toEqual({ ok: true, value: '2026-03-04' });
    expect(d('04/04/2026', 'unknown')).toEqual({ ok: true, value: '2026-04-04' });
    expect(d('25/04/2026', 'unknown')).toEqual({ ok: true, value: '2026-04-25' });
    expect(d('03/04/2026', 'unknown').ok).toBe(false);
    expect(d('01.09.2026', 'month_first')).toEqual({ ok: true, value: '2026-09-01' });
    expect(d('2026-09-01T00:00:00Z', 'unknown')).toEqual({ ok: true, value: '2026-09-01' });
    expect(parseCardDate({ text: '46266', numeric: true }, order('unknown'))).toEqual({
      ok: true,
      value: '2026-09-01',
    });
  });
});
