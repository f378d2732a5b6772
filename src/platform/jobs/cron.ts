import { Cron } from 'croner';

/** Seconds between the next two runs of a cron pattern (UTC), from `from`; undefined if it never runs twice. */
export function cronIntervalS(pattern: string, from?: Date): number | undefined {
  const [a, b] = new Cron(pattern, { timezone: 'UTC' }).nextRuns(2, from);
  return a && b ? (b.getTime() - a.getTime()) / 1000 : undefined;
}
