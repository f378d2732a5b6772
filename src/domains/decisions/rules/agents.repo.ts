import { action, CANDIDATE_COLUMNS, num, type Rule, why } from './rule.ts';

const OPEN_AGENT = action(
  'open',
  `'Open the agent runs'`,
  `jsonb_build_object('page', 'agents', 'agent', agent)`,
);

/**
 * agent_failed: an agent's newest finished real run failed (or its circuit breaker tripped). A later
 * successful run resolves it. Dry runs and runs still going do not count either way.
 */
export const agentFailed: Rule = {
  type: 'agent_failed',
  async collect(c) {
    await c.query(
      `WITH agents AS (SELECT DISTINCT agent FROM agent_runs WHERE status IN ('failed', 'tripped') AND NOT dry_run),
       last AS (
         SELECT x.* FROM agents a CROSS JOIN LATERAL (
           SELECT r.id, r.agent, r.status, r.error, r.reason, r.started_at FROM agent_runs r
           WHERE r.agent = a.agent AND NOT r.dry_run AND r.status IN ('success', 'failed', 'tripped', 'skipped')
           ORDER BY r.started_at DESC LIMIT 1) x)
       ${CANDIDATE_COLUMNS}
       SELECT 'agent_failed', 'agent_failed:' || agent, 'critical',
              CASE WHEN status = 'tripped' THEN 'Agent ' || agent || ': circuit breaker tripped'
                   ELSE 'Agent ' || agent || ' failed' END,
              jsonb_build_array(${why(
                'agent_failed',
                `coalesce(left(error, 300), reason, status)`,
                'status',
                'status',
                'NULL',
              )}),
              jsonb_build_object('agent', agent, 'run_id', id),
              jsonb_build_object('default', ${OPEN_AGENT}, 'alternatives', '[]'::jsonb),
              jsonb_build_object('started_at', started_at),
              NULL, NULL, NULL, NULL, NULL, NULL
       FROM last WHERE status IN ('failed', 'tripped')`,
    );
  },
};

/**
 * agent_overdue: a scheduled agent has not started a scheduled run for `factor` × its interval (the
 * scheduler or the worker is down). Only runs the scheduler started count: a manual or API run says
 * nothing about the scheduler, and counting it would hide a dead scheduler for as long as someone runs
 * the agent by hand. Agents never run by the scheduler are left out: a CLI-only installation has none.
 */
export const agentOverdue: Rule = {
  type: 'agent_overdue',
  async collect(c, { now, t, schedules }) {
    if (schedules.length === 0) return;
    await c.query(
      `WITH sched AS (
         SELECT * FROM unnest($2::text[], $3::float8[]) AS s(agent, interval_s)),
       last AS (
         SELECT s.agent, s.interval_s, x.started_at FROM sched s CROSS JOIN LATERAL (
           SELECT max(r.started_at) AS started_at FROM agent_runs r
           WHERE r.agent = s.agent AND r.trigger = 'schedule') x),
       late AS (
         SELECT *, extract(epoch FROM $1::timestamptz - started_at) / 3600 AS hours FROM last
         WHERE started_at < $1::timestamptz - $4 * interval_s * interval '1 second')
       ${CANDIDATE_COLUMNS}
       SELECT 'agent_overdue', 'agent_overdue:' || agent, 'warning',
              'Agent ' || agent || ' is overdue',
              jsonb_build_array(${why(
                'agent_overdue',
                `'no scheduled run for ' || ${num('hours')} || ' h (every ' || ${num('interval_s / 3600', 2)} || ' h)'`,
                'hours_since_run',
                'round(hours::numeric, 1)',
                'round(($4 * interval_s / 3600)::numeric, 2)',
              )}),
              jsonb_build_object('agent', agent),
              jsonb_build_object('default', ${OPEN_AGENT}, 'alternatives', '[]'::jsonb),
              jsonb_build_object('last_run_at', started_at),
              NULL, NULL, NULL, NULL, NULL, NULL
       FROM late`,
      [now, schedules.map((s) => s.agent), schedules.map((s) => s.interval_s), t['agent_overdue.factor']],
    );
  },
};
