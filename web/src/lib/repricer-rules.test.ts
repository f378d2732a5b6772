import { describe, expect, it } from 'vitest';
import { emptyDraft, parseDecimal, planSave, problemOf, validateRuleDraft } from './repricer-rules.ts';

describe('a repricer rule as typed', () => {
  it('reads decimals either way round and refuses what the server refuses', () => {
    expect(parseDecimal('1.234,56')).toBe('1234.56');
    expect(parseDecimal('12,50')).toBe('12.5');
    expect(parseDecimal('0.125')).toBe('0.125');
    expect(parseDecimal('12a')).toBeNull();
    const r = validateRuleDraft({ ...emptyDraft('A-1'), min_price: '30', max_price: '20,00', step: '0' });
    expect(r.rule).toBeUndefined();
    expect(problemOf(r.problems, 'min_price')).toEqual({
      field: 'min_price',
      value: '30',
      reason: 'min_price 30 > max_price 20,00',
    });
    expect(problemOf(r.problems, 'step')?.reason).toBe('must be > 0');
  });

  it('normalises a valid rule to what PUT /repricer/rules takes', () => {
    expect(validateRuleDraft({ ...emptyDraft(' A-1 '), min_price: '€ 12,5', strategy: 'HOLD' }).rule).toEqual(
      {
        sku: 'A-1',
        min_price: '12.5',
        max_price: null,
        map_price: null,
        strategy: 'hold',
        step: null,
        enabled: true,
      },
    );
  });

  it('refuses the whole save with every reason, a SKU twice included', () => {
    const plan = planSave([
      { key: 'a', draft: { ...emptyDraft('A'), max_price: '0' } },
      { key: 'b', draft: emptyDraft('B') },
      { key: 'c', draft: emptyDraft('B') },
    ]);
    expect(plan.refusals).toEqual(['A: max_price must be > 0', 'B: listed twice']);
  });
});
