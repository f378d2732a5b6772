import { describe, expect, it } from 'vitest';
import { formatSetting, howToChange } from './team-settings.ts';

const v = (
  value: string | null,
  unit: string,
  extra: Partial<{ secret: boolean; configured: boolean }> = {},
) => ({
  value,
  unit,
  secret: false,
  configured: value !== null,
  ...extra,
});

describe('formatSetting', () => {
  it('shows fractions and percentages as %, in the locale', () => {
    expect(formatSetting(v('0.15', 'fraction'), 'en-US')).toBe('15 %');
    expect(formatSetting(v('0.9999', 'fraction'), 'de-DE')).toBe('99,99 %');
    expect(formatSetting(v('0.2', 'fraction'), 'en-US')).toBe('20 %');
    expect(formatSetting(v('10', 'percent'), 'en-US')).toBe('10 %');
    expect(formatSetting(v('12.5', 'percent'), 'de-DE')).toBe('12,5 %');
  });

  it('shows days, durations, sizes, yes/no and schedules in words', () => {
    expect(formatSetting(v('35', 'days'), 'en-US')).toBe('35 days');
    expect(formatSetting(v('1', 'days'), 'en-US')).toBe('1 day');
    expect(formatSetting(v('720', 'minutes'), 'en-US')).toBe('720 min');
    expect(formatSetting(v(String(512 * 1024 ** 2), 'bytes'), 'en-US')).toBe('512 MB');
    expect(formatSetting(v('true', 'boolean'), 'en-US')).toBe('Yes');
    expect(formatSetting(v('*/15 * * * *', 'cron'), 'en-US')).toBe('*/15 * * * * (every 15 minutes)');
    expect(formatSetting(v('0 6 * * 1', 'cron'), 'en-US')).toBe('0 6 * * 1');
  });

  it('never shows a secret, only whether it is set', () => {
    expect(formatSetting(v(null, 'text', { secret: true, configured: true }), 'en-US')).toBe('Set (hidden)');
    expect(formatSetting(v(null, 'text', { secret: true, configured: false }), 'en-US')).toBe('Not set');
    expect(formatSetting(v(null, 'text'), 'en-US')).toBe('—');
  });
});

describe('howToChange', () => {
  it('names the variable to set, or says it is edited here', () => {
    expect(howToChange({ source: 'default', variable: 'RESTOCK_COVER_DAYS', editable: false })).toMatch(
      /Set RESTOCK_COVER_DAYS/,
    );
    expect(howToChange({ source: 'environment', variable: 'AWA_MARKETPLACE', editable: false })).toMatch(
      /Set by AWA_MARKETPLACE/,
    );
    expect(howToChange({ source: 'database', variable: null, editable: true })).toBe('Edit below');
  });
});
