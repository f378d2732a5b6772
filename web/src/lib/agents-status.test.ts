import { describe, expect, it } from 'vitest';
import { parseAgentsSearch, runsQuery } from './agents-search.ts';
import { countPairs, runWords, staleText } from './agents-status.ts';

const H = 3_600_000;

describe('staleText', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('says how long since the last success and how often it should run', () => {
    expect(
      staleText({ stale: true, interval_ms: H, last_success_at: new Date(now - 5 * H).toISOString() }, now),
    ).toBe('no successful run for 5 h; it should run every 1 h');
    expect(staleText({ stale: true, interval_ms: 86_400_000, last_success_at: null }, now)).toBe(
      'no successful run since AWA was installed; it should run every 24 h',
    );
    expect(staleText({ stale: false, interval_ms: H, last_success_at: null }, now)).toBeNull();
  });
});

describe('countPairs / runWords', () => {
  it('numbers only, stage left out, keys in words', () => {
    expect(countPairs({ stage: 'merge', rows_read: 10, asins: '3', note: 'x', nan: null })).toEqual([
      ['rows read', 10],
      ['asins', 3],
    ]);
    expect(countPairs(undefined)).toEqual([]);
  });
  it('a symbol with every status', () => {
    expect(runWords('failed')).toBe('✗ failed');
    expect(runWords(null)).toBe('never run');
    expect(runWords('odd')).toBe('odd');
  });
});

describe('agents search', () => {
  it('keeps a valid agent, status, page and job; drops the rest', () => {
    expect(
      parseAgentsSearch({ agent: 'keepa', status: 'failed', page: '2', page_size: '25', job: 'j-1' }),
    ).toEqual({ agent: 'keepa', status: 'failed', page: 2, page_size: 25, job: 'j-1' });
    expect(parseAgentsSearch({ agent: 'Keepa!', status: 'meh', page: '0', job: '' })).toEqual({});
    expect(runsQuery({ agent: 'keepa' })).toEqual({
      agent: 'keepa',
      status: undefined,
      page: 1,
      page_size: 50,
    });
  });
});
