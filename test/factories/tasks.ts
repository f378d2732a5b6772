import type { Queryable } from '../../src/platform/db/queryable.ts';

/**
 * Inbox tasks and their events written the way the decisions engine writes them (one statement:
 * the tasks and their `created` events), so the outbox trigger sees what it sees in production.
 */
export async function seedTasks(
  c: Queryable,
  n: number,
  o: { type?: string; severity?: 'info' | 'warning' | 'critical'; at: Date; prefix?: string },
): Promise<number[]> {
  const { rows } = await c.query<{ id: number }>(
    `WITH ins AS (
       INSERT INTO tasks (type, dedup_key, severity, title, why, created_at, updated_at, state_changed_at)
       SELECT $1, $5 || ':' || g, $2, 'Task ' || $5 || ' ' || g || ' <needs> & care',
              jsonb_build_array(jsonb_build_object('code', 'x', 'message', 'value ' || g || ' is off', 'metric', 'm',
                                                   'value', g, 'threshold', 0)),
              $3, $3, $3
       FROM generate_series(1, $4) g
       RETURNING id, severity),
     ev AS (
       INSERT INTO task_events (task_id, at, kind, actor, after)
       SELECT id, $3, 'created', 'engine', jsonb_build_object('state', 'open', 'severity', severity) FROM ins)
     SELECT id::int AS id FROM ins ORDER BY id`,
    [o.type ?? 'agent_failed', o.severity ?? 'critical', o.at, n, o.prefix ?? 'k'],
  );
  return rows.map((r) => r.id);
}

/** The engine's resolution of tasks: state resolved and a `resolved` event, in one statement. */
export async function resolveTasks(c: Queryable, ids: number[], at: Date): Promise<void> {
  await c.query(
    `WITH x AS (UPDATE tasks SET state = 'resolved', state_changed_at = $2, updated_at = $2
                WHERE id = ANY($1::bigint[]) RETURNING id)
     INSERT INTO task_events (task_id, at, kind, actor, before, after)
     SELECT id, $2, 'resolved', 'engine', '{"state":"open"}', '{"state":"resolved"}' FROM x`,
    [ids, at],
  );
}

/** A person closing tasks (done): a `transition` event. */
export async function closeTasks(c: Queryable, ids: number[], at: Date): Promise<void> {
  await c.query(
    `WITH x AS (UPDATE tasks SET state = 'done', state_changed_at = $2, updated_at = $2
                WHERE id = ANY($1::bigint[]) RETURNING id)
     INSERT INTO task_events (task_id, at, kind, actor, before, after)
     SELECT id, $2, 'transition', 'alice', '{"state":"open"}', '{"state":"done"}' FROM x`,
    [ids, at],
  );
}
