import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { formatMinor, toMinor, toRatio } from '../../platform/money.ts';
import { input, minRoi, run } from './decide.testkit.ts';
import { breakerTripped, type Decision, decide } from './decide.ts';

describe('strategies', () => {
  it('beat_buybox undercuts the buy box by one minor unit by default', () => {
    expect(run()).toMatchObject({ proposed: '19.49', final: '19.49', changed: true, guards: [] });
  });

  it('beat_buybox uses rule.step', () => {
    expect(run({ rule: { strategy: 'beat_buybox', step: '0.25' } }).final).toBe('19.25');
  });

  it('defaults to beat_buybox when the rule has no strategy', () => {
    expect(run({ rule: {} })).toMatchObject({ strategy: 'beat_buybox', final: '19.49' });
  });

  it('match_buybox matches the buy box', () => {
    expect(run({ rule: { strategy: 'match_buybox' } })).toMatchObject({ final: '19.50', changed: true });
  });

  it('min_roi goes to the floor', () => {
    expect(minRoi({ current_price: '18.00' })).toMatchObject({ proposed: '17.65', final: '17.65' });
  });

  it('hold keeps the current price', () => {
    const d = run({ rule: { strategy: 'hold' } });
    expect(d).toMatchObject({ proposed: '20.00', final: '20.00', changed: false, guards: [] });
    expect(d.reason).toContain('unchanged at 20.00');
  });

  it('no buy box → keeps the current price, flagged', () => {
    const d = run({ market: { we_hold_buybox: false, buybox_drops_24h: 0 } });
    expect(d).toMatchObject({ final: '20.00', changed: false, guards: ['no_buybox'] });
  });

  it('no buy box → current price clamped into [floor, ceiling]', () => {
    const d = run({
      current_price: '30.00',
      rule: { strategy: 'match_buybox', max_price: '25.00' },
      market: { we_hold_buybox: false, buybox_drops_24h: 0 },
    });
    expect(d).toMatchObject({ final: '25.00', guards: ['no_buybox', 'ceiling'] });
    const low = run({ current_price: '15.00', market: { we_hold_buybox: false, buybox_drops_24h: 0 } });
    expect(low).toMatchObject({ final: '17.65', guards: ['no_buybox', 'floor'] });
  });
});

describe('guards', () => {
  it('floor: never proposes below the floor', () => {
    const d = run({
      current_price: '18.50',
      market: { buybox_price: '17.00', we_hold_buybox: false, buybox_drops_24h: 0 },
    });
    expect(d).toMatchObject({ proposed: '16.99', final: '17.65', guards: ['floor'] });
  });

  it('ceiling: caps at max_price', () => {
    const d = run({ rule: { strategy: 'match_buybox', max_price: '19.00' } });
    expect(d).toMatchObject({ final: '19.00', ceiling: '19.00', guards: ['ceiling'] });
  });

  it('ceiling below the floor: the floor wins', () => {
    const d = run({ rule: { strategy: 'hold', max_price: '15.00' } });
    expect(d).toMatchObject({ final: '17.65', guards: ['ceiling', 'floor'] });
    expect(d.reason).toContain('ceiling is below the floor');
  });

  it('max_step: lowers at most 10 % per run', () => {
    const d = run({
      market: { buybox_price: '18.00', we_hold_buybox: false, buybox_drops_24h: 0 },
      current_price: '22.00',
    });
    // 22 × 0.9 = 19.80 (above the 17.99 target)
    expect(d).toMatchObject({ proposed: '17.99', final: '19.80', guards: ['max_step'] });
  });

  it('max_step: raises at most 10 % per run, and uses settings.max_step_pct', () => {
    const up = run({
      rule: { strategy: 'match_buybox' },
      current_price: '18.00',
      market: { buybox_price: '25.00', we_hold_buybox: false, buybox_drops_24h: 0 },
    });
    expect(up).toMatchObject({ final: '19.80', guards: ['max_step'] });
    const wide = run({
      rule: { strategy: 'match_buybox' },
      current_price: '18.00',
      settings: { max_step_pct: '0.5' },
      market: { buybox_price: '25.00', we_hold_buybox: false, buybox_drops_24h: 0 },
    });
    expect(wide).toMatchObject({ final: '25.00', guards: [] });
  });

  it('max_step bounds round towards the current price (never overshoot the limit)', () => {
    // 19.99 × 0.9 = 17.991 → 17.992 would round to 17.99 (too far); the bound is 18.00
    const d = run({
      current_price: '19.99',
      market: { buybox_price: '10.00', we_hold_buybox: false, buybox_drops_24h: 0 },
      landed_cost: '1',
    });
    expect(d.final).toBe('18.00');
  });

  it('raising to the floor is exempt from the step limit', () => {
    const d = minRoi({ current_price: '10.00' });
    expect(d).toMatchObject({ final: '17.65', guards: ['max_step', 'floor'] });
  });

  it("winning: doesn't lower when we hold the buy box at or below it", () => {
    const d = run({
      current_price: '19.00',
      market: { buybox_price: '19.00', we_hold_buybox: true, buybox_drops_24h: 0 },
    });
    expect(d).toMatchObject({ proposed: '18.99', final: '19.00', changed: false, guards: ['winning'] });
  });

  it('winning still raises (min_roi when below the floor, match when buy box is higher)', () => {
    const d = minRoi({
      current_price: '17.00',
      market: { buybox_price: '19.00', we_hold_buybox: true, buybox_drops_24h: 0 },
    });
    expect(d.final).toBe('17.65');
    const m = run({
      rule: { strategy: 'match_buybox' },
      current_price: '19.00',
      market: { buybox_price: '19.50', we_hold_buybox: true, buybox_drops_24h: 0 },
    });
    expect(m).toMatchObject({ final: '19.50', guards: [] });
  });

  it('holding the buy box while priced above it does not count as winning', () => {
    const d = run({
      current_price: '20.00',
      market: { buybox_price: '19.50', we_hold_buybox: true, buybox_drops_24h: 0 },
    });
    expect(d.final).toBe('19.49');
  });

  it('price war: ≥ 3 drops in 24 h and target at the floor → hold, flagged', () => {
    const market = { buybox_price: '17.00', we_hold_buybox: false, buybox_drops_24h: 3 };
    const d = run({ current_price: '18.50', market });
    expect(d).toMatchObject({ final: '18.50', changed: false, guards: ['price_war'] });
    // 2 drops: not a price war → follows down to the floor
    expect(run({ current_price: '18.50', market: { ...market, buybox_drops_24h: 2 } }).final).toBe('17.65');
    // target above the floor: no hold even with many drops
    const above = run({ current_price: '20.00', market: { ...market, buybox_price: '19.00' } });
    expect(above).toMatchObject({ final: '18.99', guards: [] });
  });

  it('price war does not stop raising to the floor', () => {
    const d = run({
      current_price: '16.00',
      market: { buybox_price: '15.00', we_hold_buybox: false, buybox_drops_24h: 5 },
    });
    expect(d).toMatchObject({ final: '17.65', guards: ['floor'] });
  });

  it('overstock (> 150 % of target cover) allows following the price war down to the floor', () => {
    const d = run({
      current_price: '18.50',
      market: { buybox_price: '17.00', we_hold_buybox: false, buybox_drops_24h: 4 },
      stock: { days_of_cover: 91, target_cover_days: 60 },
    });
    expect(d).toMatchObject({ final: '17.65', guards: ['overstock', 'floor'] });
    // exactly 150 % is not overstock
    const edge = run({
      current_price: '18.50',
      market: { buybox_price: '17.00', we_hold_buybox: false, buybox_drops_24h: 4 },
      stock: { days_of_cover: 90, target_cover_days: 60 },
    });
    expect(edge.guards).toEqual(['price_war']);
  });

  it('stock_low: days of cover < lead time → does not lower, still raises', () => {
    const stock = { days_of_cover: 10, lead_time_days: 21 };
    expect(run({ stock })).toMatchObject({ final: '20.00', guards: ['stock_low'] });
    // the reason shows a computed cover to one decimal, not the float it is
    expect(run({ stock: { days_of_cover: 10.458715596, lead_time_days: 21 } }).reason).toContain(
      'cover 10.5d < lead time 21d',
    );
    const up = run({
      stock,
      rule: { strategy: 'match_buybox' },
      market: { buybox_price: '21.00', we_hold_buybox: false, buybox_drops_24h: 0 },
    });
    expect(up.final).toBe('21.00');
    expect(run({ stock: { days_of_cover: 21, lead_time_days: 21 } }).final).toBe('19.49');
  });

  it('map: never below MAP, flagged when MAP is the binding floor', () => {
    const d = run({ rule: { strategy: 'match_buybox', map_price: '19.99' } });
    expect(d).toMatchObject({ proposed: '19.50', final: '19.99', floor: '19.99', guards: ['floor', 'map'] });
    const capped = run({ rule: { strategy: 'match_buybox', map_price: '19.99', max_price: '19.00' } });
    expect(capped.final).toBe('19.99');
  });
});

describe('rounding (half-even to the minor unit, exact decimals)', () => {
  it.each([
    ['10.125', '10.12'],
    ['10.135', '10.14'],
    ['10.145', '10.14'],
    ['10.1251', '10.13'],
    ['-10.125', '-10.12'],
    ['0.005', '0.00'],
    ['0.015', '0.02'],
  ])('%s → %s', (value, expected) => {
    expect(formatMinor(toMinor(toRatio(value)!, 2), 2)).toBe(expected);
  });

  it('reads JSON numbers by their decimal text (10.135 is 10.13499… as a double)', () => {
    expect(formatMinor(toMinor(toRatio(10.135)!, 2), 2)).toBe('10.14');
    expect(formatMinor(toMinor(toRatio(1e-7)!, 2), 2)).toBe('0.00');
  });

  it('rounds buy box and prices through decide', () => {
    const base = { current_price: 10, landed_cost: 1, rule: { strategy: 'match_buybox' as const } };
    const m = (bb: number) =>
      run({ ...base, market: { buybox_price: bb, we_hold_buybox: false, buybox_drops_24h: 0 } }).final;
    expect(m(10.125)).toBe('10.12');
    expect(m(10.135)).toBe('10.14');
    // 0.1 + 0.2 style drift: 10.3 - 0.01 is exactly 10.29
    expect(
      run({
        ...base,
        rule: { strategy: 'beat_buybox' },
        market: { buybox_price: 10.3, we_hold_buybox: false, buybox_drops_24h: 0 },
      }).final,
    ).toBe('10.29');
  });
});

describe('validation and skips', () => {
  it('min_price > max_price is an invalid rule', () => {
    const bad = () => decide(input({ rule: { min_price: '30', max_price: '20' } }));
    expect(bad).toThrow(AppError);
    expect(bad).toThrow(/min_price 30 > max_price 20/);
    try {
      bad();
    } catch (e) {
      expect((e as AppError).kind).toBe('invalid');
    }
  });

  it('rejects unreadable or nonsensical rule values', () => {
    expect(() => decide(input({ rule: { max_price: 'abc' } }))).toThrow(/max_price is not a number/);
    expect(() => decide(input({ rule: { step: '0' } }))).toThrow(/step must be > 0/);
    expect(() => decide(input({ settings: { max_step_pct: 0 } }))).toThrow(/max_step_pct/);
    expect(() => decide(input({ currency: 'gbp' }))).toThrow(/currency/);
  });

  it('missing landed cost → skip with reason', () => {
    const d = decide(input({ landed_cost: null }));
    expect(d).toMatchObject({
      skipped: true,
      reason: 'no landed cost',
      final: '20.00',
      changed: false,
      floor: null,
    });
  });

  it('disabled rule and missing current price → skip', () => {
    expect(decide(input({ rule: { enabled: false } }))).toMatchObject({
      skipped: true,
      reason: 'rule disabled',
    });
    expect(decide(input({ current_price: undefined }))).toMatchObject({ skipped: true, final: null });
  });

  it('absurd buy box (0.01 against cost 20): guards hold the floor', () => {
    const d = run({
      landed_cost: '20.00',
      current_price: '32.00',
      market: { buybox_price: '0.01', we_hold_buybox: false, buybox_drops_24h: 0 },
    });
    // floor (20 × 1.15 + 3.5) / 0.85 = 31.176… → 31.18; step limit would allow 28.80
    expect(d).toMatchObject({ proposed: '0.00', final: '31.18', guards: ['max_step', 'floor'] });
  });

  it.each(['0', '-5', 'garbage'])('buy box %s is treated as no buy box', (bb) => {
    const d = run({ market: { buybox_price: bb, we_hold_buybox: false, buybox_drops_24h: 0 } });
    expect(d).toMatchObject({ final: '20.00', guards: ['no_buybox'] });
  });
});

describe('breakerTripped', () => {
  const drop = (from: string, to: string): Decision => ({
    ...run({ current_price: from, rule: { strategy: 'hold' } }),
    final: to,
  });

  it('trips when more than 20 % of decisions drop by more than 20 %', () => {
    const ok = Array.from({ length: 8 }, () => drop('10.00', '10.00'));
    expect(breakerTripped([...ok, drop('10.00', '7.99'), drop('10.00', '7.99')])).toBe(false); // exactly 20 %
    expect(
      breakerTripped([...ok.slice(1), drop('10.00', '7.99'), drop('10.00', '7.99'), drop('10.00', '7.00')]),
    ).toBe(true);
  });

  it('a drop of exactly 20 % does not count; skipped decisions are ignored', () => {
    expect(breakerTripped([drop('10.00', '8.00')])).toBe(false);
    expect(breakerTripped([drop('10.00', '7.99')])).toBe(true);
    expect(breakerTripped([decide(input({ landed_cost: null }))])).toBe(false);
    expect(breakerTripped([])).toBe(false);
  });

  it('honours a custom breaker percentage', () => {
    const ds = [drop('10.00', '5.00'), drop('10.00', '10.00'), drop('10.00', '10.00')];
    expect(breakerTripped(ds, 0.5)).toBe(false);
    expect(breakerTripped(ds, 0.3)).toBe(true);
  });
});
