import { describe, expect, it } from 'vitest';
import { describeCron, formatSpan } from './agents-cron.ts';

describe('describeCron', () => {
  it.each([
    ['*/15 * * * *', 'every 15 minutes'],
    ['* * * * *', 'every minute'],
    ['0 * * * *', 'every hour, on the hour'],
    ['5 * * * *', 'every hour at :05'],
    ['0 */6 * * *', 'every 6 hours at :00'],
    ['30 3 * * *', 'daily at 03:30 UTC'],
    ['0 6 * * 1', 'every Monday at 06:00 UTC'],
    ['0 6 * * 7', 'every Sunday at 06:00 UTC'],
    ['0 6 * * 1-5', 'on weekdays at 06:00 UTC'],
    ['0 6 * * mon,wed,fri', 'every Monday, Wednesday and Friday at 06:00 UTC'],
    ['0 6 * * 6-0', 'Saturday to Sunday at 06:00 UTC'],
    ['15 1 1 * *', 'monthly on day 1 at 01:15 UTC'],
  ])('%s → %s', (cron, words) => {
    expect(describeCron(cron)).toBe(words);
  });

  it('gives up (null) rather than guess', () => {
    for (const c of [null, '', '0 6 * 1 *', '0 6 1 * 1', 'a b c d e', '0 25 * * *', '0 6 * * 9', '1 2 3']) {
      expect(describeCron(c)).toBeNull();
    }
  });
});

describe('formatSpan', () => {
  it.each([
    [250, '250 ms'],
    [2500, '2.5 s'],
    [15 * 60_000, '15 min'],
    [3_600_000, '1 h'],
    [30 * 3_600_000, '30 h'],
    [7 * 86_400_000, '7 days'],
    [2 * 86_400_000, '2 days'],
    [null, '—'],
    [-1, '—'],
  ])('%s → %s', (ms, text) => {
    expect(formatSpan(ms)).toBe(text);
  });
});
