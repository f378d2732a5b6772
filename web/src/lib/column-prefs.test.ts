import { describe, expect, it } from 'vitest';
import { columnsKey, type KeyValueStore, loadHidden, saveHidden, toggleHidden } from './column-prefs.ts';

function memory(initial: Record<string, string> = {}): KeyValueStore & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (k) => data[k] ?? null,
    setItem: (k, v) => {
      data[k] = v;
    },
  };
}

const known = ['asin', 'title', 'vendor', 'fees', 'score'];

describe('column prefs', () => {
  it('nothing stored → the defaults', () => {
    expect(loadHidden(memory(), 'roi', known, ['fees'])).toEqual(['fees']);
    expect(loadHidden(undefined, 'roi', known, ['score'])).toEqual(['score']);
  });

  it('remembers a choice per table, unknown ids dropped', () => {
    const store = memory();
    saveHidden(store, 'roi', ['score', 'title', 'score']);
    expect(store.data[columnsKey('roi')]).toBe('["score","title"]');
    expect(loadHidden(store, 'roi', known, ['fees'])).toEqual(['title', 'score']);
    store.data[columnsKey('roi')] = '["gone","vendor"]';
    expect(loadHidden(store, 'roi', known, [])).toEqual(['vendor']);
    expect(loadHidden(store, 'other', known, ['fees'])).toEqual(['fees']);
  });

  it('a broken entry or a throwing storage falls back to the defaults', () => {
    expect(loadHidden(memory({ [columnsKey('roi')]: '{not json' }), 'roi', known, ['fees'])).toEqual([
      'fees',
    ]);
    expect(loadHidden(memory({ [columnsKey('roi')]: '{"a":1}' }), 'roi', known, ['fees'])).toEqual(['fees']);
    const throwing: KeyValueStore = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(loadHidden(throwing, 'roi', known, ['score'])).toEqual(['score']);
    expect(() => saveHidden(throwing, 'roi', ['x'])).not.toThrow();
  });

  it('an empty stored list means "show everything", not the defaults', () => {
    const store = memory();
    saveHidden(store, 'roi', []);
    expect(loadHidden(store, 'roi', known, ['fees'])).toEqual([]);
  });

  it('toggles, never hiding a locked column', () => {
    expect(toggleHidden(['fees'], 'fees')).toEqual([]);
    expect(toggleHidden([], 'score')).toEqual(['score']);
    expect(toggleHidden([], 'asin', ['asin'])).toEqual([]);
  });
});
