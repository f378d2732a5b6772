import type { Config } from '../../platform/config.ts';
import { cronIntervalS } from '../../platform/jobs/cron.ts';

/** Each scheduled agent and the seconds between two of its runs, for agent_overdue. */
export async function agentSchedules(
  config: Config,
  now: Date,
): Promise<{ agent: string; interval_s: number }[]> {
  // loaded here, not at the top: the registry lists the decisions job, so a static import would be a cycle
  const { schedulesFor } = await import('../../jobs/registry.ts');
  const out: { agent: string; interval_s: number }[] = [];
  for (const [agent, pattern] of schedulesFor(config)) {
    const interval = cronIntervalS(pattern, now);
    if (interval !== undefined) out.push({ agent, interval_s: interval });
  }
  return out;
}
