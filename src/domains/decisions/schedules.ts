import { Cron } from 'croner';
import type { Config } from '../../platform/config.ts';

/** Each scheduled agent and the seconds between two of its runs, for agent_overdue. */
export async function agentSchedules(
  config: Config,
  now: Date,
): Promise<{ agent: string; interval_s: number }[]> {
  // loaded here, not at the top: the registry lists the decisions job, so a static import would be a cycle
  const { schedulesFor } = await import('../../jobs/registry.ts');
  const out: { agent: string; interval_s: number }[] = [];
  for (const [agent, pattern] of schedulesFor(config)) {
    const [a, b] = new Cron(pattern, { timezone: 'UTC' }).nextRuns(2, now);
    if (a && b) out.push({ agent, interval_s: (b.getTime() - a.getTime()) / 1000 });
  }
  return out;
}
