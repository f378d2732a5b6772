import { describe, expect, it } from 'vitest';
import {
  approveBody,
  EMPTY_SELECTION,
  forFilter,
  isSelected,
  selectAllMatching,
  selectedCount,
  toggleKey,
  togglePage,
} from './selection.ts';

const page = ['A', 'B', 'C'];

describe('selection', () => {
  it('picks and unpicks rows by hand, across pages', () => {
    let s = toggleKey(EMPTY_SELECTION, 'A', page);
    s = toggleKey(s, 'Z', ['Z']);
    expect(isSelected(s, 'A')).toBe(true);
    expect(selectedCount(s, 999)).toBe(2);
    s = toggleKey(s, 'A', page);
    expect(isSelected(s, 'A')).toBe(false);
    expect(selectedCount(s, 999)).toBe(1);
  });

  it('selects and clears a page, keeping picks from other pages', () => {
    let s = toggleKey(EMPTY_SELECTION, 'Z', ['Z']);
    s = togglePage(s, page, true);
    expect(selectedCount(s, undefined)).toBe(4);
    s = togglePage(s, page, false);
    expect(s.mode === 'some' && [...s.keys]).toEqual(['Z']);
  });

  it('"all matching" counts the server total and is void on another filter', () => {
    const s = selectAllMatching('roi_min=30');
    expect(isSelected(s, 'anything')).toBe(true);
    expect(selectedCount(s, 1234)).toBe(1234);
    expect(forFilter(s, 'roi_min=30')).toBe(s);
    expect(forFilter(s, 'roi_min=40')).toEqual(EMPTY_SELECTION);
  });

  it('unticking a row out of "all matching" keeps the rest of the page', () => {
    const s = toggleKey(selectAllMatching('f'), 'B', page);
    expect(s.mode === 'some' && [...s.keys].sort()).toEqual(['A', 'C']);
    expect(togglePage(selectAllMatching('f'), page, false)).toEqual(EMPTY_SELECTION);
  });
});

describe('approveBody', () => {
  it('hand-picked rows send their ASINs', () => {
    const s = togglePage(EMPTY_SELECTION, ['B', 'A'], true);
    expect(approveBody(s, { roi_min: 30 }, 50, 'approved', true)).toEqual({
      asins: ['A', 'B'],
      status: 'approved',
      dry_run: true,
    });
  });

  it('all matching sends the filter and the count the user saw', () => {
    expect(approveBody(selectAllMatching('x'), { roi_min: 30 }, 812, 'rejected', false)).toEqual({
      filter: { roi_min: 30 },
      expected_count: 812,
      status: 'rejected',
      dry_run: false,
    });
    expect(() => approveBody(selectAllMatching('x'), {}, undefined, 'approved', false)).toThrow(/not known/);
  });
});
