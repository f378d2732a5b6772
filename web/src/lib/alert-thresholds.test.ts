import { describe, expect, it } from 'vitest';
import {
  changesOf,
  errorFields,
  fieldErrors,
  groupThresholds,
  nameOf,
  parseDecimal,
  ruleOf,
} from './alert-thresholds.ts';

const items = [
  { key: 'price_war.enabled', value: 1, default: 1, integer: true },
  { key: 'price_war.total_drop_pct', value: 12, default: 10, integer: false },
  { key: 'price_war.drops', value: 3, default: 3, integer: true },
  { key: 'dismiss_hold_days', value: 7, default: 7, integer: true },
];

describe('alert thresholds on the Settings page', () => {
  it('names and groups them by rule', () => {
    expect(ruleOf('price_war.drops')).toBe('price_war');
    expect(ruleOf('dismiss_hold_days')).toBe('general');
    expect(nameOf('price_war.total_drop_pct')).toBe('Total drop');
    expect(nameOf('returns_spike.enabled')).toBe('Raise these tasks');
    expect(nameOf('dismiss_hold_days')).toBe('Dismiss hold days');
    expect(groupThresholds(items).map((g) => [g.rule, g.items.length])).toEqual([
      ['price_war', 3],
      ['general', 1],
    ]);
  });

  it('reads decimals with a comma or a point', () => {
    expect(parseDecimal('12,5')).toBe(12.5);
    expect(parseDecimal(' -5 ')).toBe(-5);
    expect(parseDecimal('1e3')).toBeNull();
    expect(parseDecimal('')).toBeNull();
  });

  it('sends only what changed; a reset is null unless already the default', () => {
    expect(
      changesOf(items, {
        'price_war.total_drop_pct': null,
        'price_war.drops': '4',
        'price_war.enabled': '1',
        dismiss_hold_days: null,
      }),
    ).toEqual({ values: { 'price_war.total_drop_pct': null, 'price_war.drops': 4 }, errors: {} });
    expect(changesOf(items, { 'price_war.drops': 'four' }).errors).toEqual({
      'price_war.drops': 'is not a number',
    });
  });

  it("maps the server's refusal to the fields it names", () => {
    expect(
      fieldErrors([
        { field: 'price_war.drops', message: '400 is outside 1…100' },
        { field: '/values/dismiss_hold_days', message: 'must be number' },
        { message: 'no field' },
      ]),
    ).toEqual({ 'price_war.drops': '400 is outside 1…100', dismiss_hold_days: 'must be number' });
    expect(
      fieldErrors({ field: 'address', value: 'x', rule: 'email' }, 'address is not an e-mail address'),
    ).toEqual({ address: 'is not an e-mail address' });
    expect(
      errorFields(Object.assign(new Error('url is unreachable'), { details: { field: 'url' } })),
    ).toEqual({
      url: 'is unreachable',
    });
    expect(errorFields(new Error('no details'))).toEqual({});
    expect(fieldErrors(undefined)).toEqual({});
  });
});
