import { DASH, formatInt, formatNumber } from './format.ts';

/** How the Settings page shows a configuration value and where it came from. Pure functions. */

export interface SettingView {
  value: string | null;
  unit: string;
  secret: boolean;
  configured: boolean;
}

export const SOURCE_LABELS: Record<string, string> = {
  environment: 'Environment',
  default: 'Default',
  database: 'Database',
};

const CRON_WORDS: Record<string, string> = {
  '*/15 * * * *': 'every 15 minutes',
  '0 * * * *': 'every hour',
};

function bytes(n: number, locale: string): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${formatNumber(v, locale, i === 0 ? 0 : 1)} ${units[i]}`;
}

/** "15 %" for a fraction of 0.15, "35 days", "Set" for a secret (never its value), "—" when unset. */
export function formatSetting(s: SettingView, locale: string): string {
  if (s.secret) return s.configured ? 'Set (hidden)' : 'Not set';
  if (s.value === null || s.value === '') return DASH;
  const n = Number(s.value);
  switch (s.unit) {
    case 'fraction':
      return Number.isFinite(n) ? `${formatNumber(n * 100, locale, 2)} %` : s.value;
    case 'percent':
      return Number.isFinite(n) ? `${formatNumber(n, locale, 2)} %` : s.value;
    case 'days':
      return `${formatInt(n, locale)} ${n === 1 ? 'day' : 'days'}`;
    case 'minutes':
      return `${formatInt(n, locale)} min`;
    case 'hours':
      return `${formatInt(n, locale)} h`;
    case 'bytes':
      return Number.isFinite(n) ? bytes(n, locale) : s.value;
    case 'boolean':
      return s.value === 'true' ? 'Yes' : 'No';
    case 'cron':
      return CRON_WORDS[s.value] ? `${s.value} (${CRON_WORDS[s.value]})` : s.value;
    default:
      return s.value;
  }
}

/** What to do to change a value: env and default values are set by a variable and a restart. */
export function howToChange(s: { source: string; variable: string | null; editable: boolean }): string {
  if (s.editable) return 'Edit below';
  if (!s.variable) return 'Read-only';
  return s.source === 'environment'
    ? `Set by ${s.variable}; change it there and restart`
    : `Set ${s.variable} and restart to change`;
}
