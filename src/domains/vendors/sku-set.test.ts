import { describe, expect, it } from 'vitest';
import { SkuSet } from './sku-set.ts';

describe('SkuSet', () => {
  it('tells new skus from repeated ones, across growth', () => {
    const s = new SkuSet();
    let repeats = 0;
    for (let i = 0; i < 300_000; i++) if (s.add(`A-${i}`)) repeats += 1;
    expect(repeats).toBe(0);
    expect(s.size).toBe(300_000);
    for (const i of [0, 1, 65_535, 65_536, 299_999]) expect(s.add(`A-${i}`)).toBe(true);
    expect(s.add('')).toBe(false);
    expect(s.add('')).toBe(true);
    expect(s.add('Ä-ü')).toBe(false);
    expect(s.size).toBe(300_002);
  });
});
