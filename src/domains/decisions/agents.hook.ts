import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { RunRecord } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { evaluateAfter } from './engine.service.ts';
import { hasActiveTask } from './tasks.repo.ts';

/**
 * After an agent run: raise `agent_failed` the moment a run fails or trips (not at the next
 * quarter-hour evaluation, so the alert reaches people within seconds), and resolve it the moment a
 * later run of that agent succeeds. Other runs cost one indexed lookup. Dry runs say nothing.
 */
export function afterAgentRun(deps: { db: Db; clock: Clock; log: Logger }) {
  return async (run: RunRecord): Promise<void> => {
    if (run.dry_run || run.status === 'running') return;
    const bad = run.status === 'failed' || run.status === 'tripped';
    try {
      if (!bad && !(await hasActiveTask(deps.db.pool, `agent_failed:${run.agent}`))) return;
    } catch (err) {
      // the run stands; the scheduled evaluation catches up
      deps.log.error({ err, agent: run.agent }, 'after-run: could not read the inbox');
      return;
    }
    await evaluateAfter(deps, 'agents');
  };
}
