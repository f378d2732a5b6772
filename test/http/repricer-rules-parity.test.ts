import { describe, expect, it } from 'vitest';
import { validateRule } from '../../src/domains/repricer/rules.ts';
import { type RuleDraft, validateRuleDraft } from '../../web/src/lib/repricer-rules.ts';

// The rules table checks a rule while it is typed; the server checks it again on save (and the rule
// file import with the same validator). The two must refuse the same values with the same words and
// read the same numbers, or a user would see a rule accepted that the save then refuses.
const base: RuleDraft = {
  sku: 'SKU-1',
  min_price: '',
  max_price: '',
  map_price: '',
  strategy: 'beat_buybox',
  step: '',
  enabled: true,
};

const MONEY = [
  '',
  ' ',
  '0',
  '0.00',
  '-1',
  '(2,50)',
  '12',
  '12.5',
  '12,50',
  '12.505',
  '1.234',
  '0.125',
  '1.234,56',
  '1,234.56',
  '1.234.567',
  '12.34.5',
  '€ 12,50',
  '12.50 EUR',
  '1 234,5',
  "1'234.50",
  'abc',
  '12a',
  '.5',
  '5.',
  '.',
  '+3',
  '3-',
  '99999999999',
  '9999999999.99',
  '0012.30',
];

const cases: RuleDraft[] = [
  ...MONEY.flatMap((v) => [
    { ...base, min_price: v },
    { ...base, max_price: v },
    { ...base, map_price: v },
    { ...base, step: v },
  ]),
  { ...base, sku: '' },
  { ...base, sku: '  ' },
  { ...base, sku: 'x'.repeat(201) },
  { ...base, sku: ' padded ' },
  { ...base, strategy: 'HOLD' },
  { ...base, strategy: 'cheapest' },
  { ...base, strategy: '' },
  { ...base, enabled: false },
  { ...base, min_price: '30', max_price: '20' },
  { ...base, min_price: '30,00', max_price: '20.5' },
  { ...base, min_price: '20', max_price: '20' },
  { ...base, min_price: '20.01', max_price: '20' },
  { ...base, min_price: '1.234', max_price: '999' },
  { ...base, sku: '', min_price: 'x', max_price: '0', strategy: 'nope', step: '-1' },
];

describe('the rules table and the server validate a rule alike', () => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i', (_i, draft) => {
    const server = validateRule(draft, { marketplace: 'DE' });
    const web = validateRuleDraft(draft);
    expect(web.problems).toEqual(server.problems);
    if (server.rule) {
      const { marketplace: _m, ...rule } = server.rule;
      expect(web.rule).toEqual(rule);
    } else expect(web.rule).toBeUndefined();
  });
});
