import { describe, expect, it } from 'vitest';
import { classify, classifyMeasure, verdictLabel } from './thresholds.ts';

const t = { min_roi_pct: 30, min_profit: 2, max_sales_rank: 50_000 };

describe('classify', () => {
  it('a minimum is met at and above the threshold, missed below it', () => {
    expect(classify(30, 30, 'min')).toBe('meets');
    expect(classify(30.01, 30, 'min')).toBe('meets');
    expect(classify(29.99, 30, 'min')).toBe('misses');
    expect(classify(-5, 0, 'min')).toBe('misses');
  });

  it('a maximum (sales rank: lower is better) is met at and below it', () => {
    expect(classify(50_000, 50_000, 'max')).toBe('meets');
    expect(classify(1, 50_000, 'max')).toBe('meets');
    expect(classify(50_001, 50_000, 'max')).toBe('misses');
  });

  it('a missing input is "missing", never a zero that misses', () => {
    expect(classify(null, 30, 'min')).toBe('missing');
    expect(classify(undefined, 30, 'min')).toBe('missing');
    expect(classify('', 30, 'min')).toBe('missing');
    expect(classify('abc', 30, 'min')).toBe('missing');
  });

  it('no threshold set → plain (no colour), numeric strings are numbers', () => {
    expect(classify(12, null, 'min')).toBe('plain');
    expect(classify('31.5', '30', 'min')).toBe('meets');
  });
});

describe('classifyMeasure', () => {
  it('uses the matching threshold and direction per measure', () => {
    expect(classifyMeasure('roi', 29, t)).toBe('misses');
    expect(classifyMeasure('roi', 45, t)).toBe('meets');
    expect(classifyMeasure('profit', 1.99, t)).toBe('misses');
    expect(classifyMeasure('profit', 2, t)).toBe('meets');
    expect(classifyMeasure('sales_rank', 120_000, t)).toBe('misses');
    expect(classifyMeasure('sales_rank', null, t)).toBe('missing');
    expect(classifyMeasure('sales_rank', 10, { ...t, max_sales_rank: null })).toBe('plain');
  });

  it('labels say which threshold and its value (colour is never the only signal)', () => {
    expect(verdictLabel('misses', 'roi', t)).toBe('misses your minimum ROI (30)');
    expect(verdictLabel('meets', 'sales_rank', t)).toBe('meets your maximum sales rank (50000)');
    expect(verdictLabel('plain', 'profit', t)).toBe('');
  });
});
