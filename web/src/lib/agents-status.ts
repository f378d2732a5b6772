import { formatSpan } from './agents-cron.ts';

/** A run's status in words with a symbol, so colour is never the only signal. */
export const RUN_WORDS: Record<string, string> = {
  running: '◌ running',
  success: '✓ success',
  failed: '✗ failed',
  skipped: '– skipped',
  tripped: '⚠ tripped',
  queued: '… queued',
  retrying: '↻ retrying',
  cancelled: '✗ cancelled',
};

export const runWords = (status: string | null | undefined) =>
  status ? (RUN_WORDS[status] ?? status) : 'never run';

/** Why an agent is flagged stale, in one line ("no successful run for 5 h; it should run every 1 h"). */
export function staleText(
  a: { stale: boolean; interval_ms: number | null; last_success_at: string | null },
  now: number,
): string | null {
  if (!a.stale) return null;
  const every = a.interval_ms ? `; it should run every ${formatSpan(a.interval_ms)}` : '';
  if (!a.last_success_at) return `no successful run since AWA was installed${every}`;
  return `no successful run for ${formatSpan(now - Date.parse(a.last_success_at))}${every}`;
}

/**
 * A run's figures as "label value" pairs, numbers only, in the order the agent reported them; the
 * running stage is shown elsewhere. Keys read as words: rows_read → "rows read".
 */
export function countPairs(counts: Record<string, unknown> | null | undefined): [string, number][] {
  if (!counts) return [];
  const out: [string, number][] = [];
  for (const [k, v] of Object.entries(counts)) {
    if (k === 'stage') continue;
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    if (Number.isFinite(n)) out.push([k.replaceAll('_', ' '), n]);
  }
  return out;
}
