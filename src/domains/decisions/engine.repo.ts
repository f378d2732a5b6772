import type { Queryable } from '../../platform/db/queryable.ts';

/**
 * The engine's SQL: rules write what should be true into `task_candidates` (one row per dedup key),
 * and reconcile() turns the difference with the tasks table into updates, new tasks, resolutions and
 * their events, set-based, in the caller's transaction.
 */

const RANK = `CASE severity WHEN 'critical' THEN 3 WHEN 'warning' THEN 2 ELSE 1 END`;

/** Serialises evaluations: two at once would both insert the same new key. */
export async function lock(c: Queryable): Promise<void> {
  await c.query(`SELECT pg_advisory_xact_lock(hashtext('awa:decisions'))`);
}

export async function createCandidates(c: Queryable): Promise<void> {
  await c.query(`
    CREATE TEMP TABLE task_candidates (
      type          text NOT NULL,
      dedup_key     text PRIMARY KEY,
      severity      text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
      severity_rank smallint GENERATED ALWAYS AS (${RANK}) STORED,
      title         text NOT NULL,
      why           jsonb NOT NULL,
      links         jsonb NOT NULL DEFAULT '{}',
      action        jsonb,
      details       jsonb,
      marketplace   text,
      asin          text,
      sku           text,
      vendor_id     bigint,
      due_at        timestamptz,
      expires_at    timestamptz
    ) ON COMMIT DROP`);
}

const FIELDS = [
  'severity',
  'title',
  'why',
  'links',
  'action',
  'details',
  'marketplace',
  'asin',
  'sku',
  'vendor_id',
  'due_at',
  'expires_at',
] as const;
const tFields = FIELDS.map((f) => `t.${f}`).join(', ');
const cFields = FIELDS.map((f) => `c.${f}`).join(', ');
const setFields = FIELDS.map((f) => `${f} = c.${f}`).join(', ');

const ACTIVE = `('open', 'snoozed')`;
const count = async (c: Queryable, text: string, values: unknown[]) =>
  (await c.query(text, values)).rowCount ?? 0;

/** Snoozed tasks whose time came are open again. */
export function wake(c: Queryable, now: Date): Promise<number> {
  return count(
    c,
    `WITH w AS (
       UPDATE tasks SET state = 'open', snoozed_until = NULL, state_changed_at = $1, updated_at = $1
       WHERE state = 'snoozed' AND snoozed_until <= $1 RETURNING id)
     INSERT INTO task_events (task_id, at, kind, actor, note, before, after)
     SELECT id, $1, 'woke', 'engine', 'the snooze ended', '{"state":"snoozed"}', '{"state":"open"}' FROM w`,
    [now],
  );
}

/** Active tasks past their expiry (a proposed price nobody applied) are expired. */
export function expire(c: Queryable, now: Date): Promise<number> {
  return count(
    c,
    `WITH old AS (
       SELECT id, state FROM tasks WHERE state IN ${ACTIVE} AND expires_at <= $1 FOR UPDATE),
     x AS (
       UPDATE tasks t SET state = 'expired', snoozed_until = NULL, state_changed_at = $1, updated_at = $1
       FROM old WHERE t.id = old.id RETURNING t.id)
     INSERT INTO task_events (task_id, at, kind, actor, note, before, after)
     SELECT old.id, $1, 'expired', 'engine', 'it expired before anyone acted', jsonb_build_object('state', old.state),
            '{"state":"expired"}'
     FROM old JOIN x USING (id)`,
    [now],
  );
}

export interface Reconciled {
  created: number;
  updated: number;
  escalated: number;
  reopened: number;
  resolved: number;
}

/**
 * Makes the active tasks of `types` match the candidates: an active task whose values differ takes
 * the new ones (its state untouched; a severity change is an event), a key closed by a person within
 * `holdDays` stays closed unless its severity rose (then it reopens), any other new key is a new task,
 * and an active task whose key is no longer a candidate is resolved.
 */
export async function reconcile(
  c: Queryable,
  now: Date,
  types: string[],
  holdDays: number,
): Promise<Reconciled> {
  const { rows: upd } = await c.query<{ n: string; escalated: string }>(
    `WITH old AS (
       SELECT t.id, t.severity, t.severity_rank, t.why FROM tasks t JOIN task_candidates c USING (dedup_key)
       WHERE t.state IN ${ACTIVE} AND (${tFields}) IS DISTINCT FROM (${cFields})
       FOR UPDATE OF t),
     upd AS (
       UPDATE tasks t SET ${setFields}, updated_at = $1
       FROM old JOIN task_candidates c ON true
       WHERE t.id = old.id AND c.dedup_key = t.dedup_key
       RETURNING t.id, t.severity, t.severity_rank, t.why),
     ev AS (
       INSERT INTO task_events (task_id, at, kind, actor, before, after)
       SELECT old.id, $1, CASE WHEN upd.severity_rank > old.severity_rank THEN 'escalated' ELSE 'deescalated' END,
              'engine', jsonb_build_object('severity', old.severity, 'why', old.why),
              jsonb_build_object('severity', upd.severity, 'why', upd.why)
       FROM old JOIN upd USING (id) WHERE upd.severity <> old.severity
       RETURNING kind)
     SELECT (SELECT count(*) FROM upd) AS n, (SELECT count(*) FROM ev WHERE kind = 'escalated') AS escalated`,
    [now],
  );
  const hold = `t.state IN ('done', 'dismissed') AND t.state_changed_at > $1::timestamptz - $2::int * interval '1 day'`;
  const reopened = await count(
    c,
    `WITH held AS (
       SELECT DISTINCT ON (t.dedup_key) t.id, t.dedup_key, t.state, t.severity, t.severity_rank
       FROM tasks t JOIN task_candidates c USING (dedup_key)
       WHERE ${hold} AND NOT EXISTS (SELECT 1 FROM tasks a WHERE a.dedup_key = t.dedup_key AND a.state IN ${ACTIVE})
       ORDER BY t.dedup_key, t.state_changed_at DESC),
     worse AS (
       SELECT held.id, held.state, held.severity AS old_severity, c.* FROM held JOIN task_candidates c USING (dedup_key)
       WHERE c.severity_rank > held.severity_rank),
     x AS (
       UPDATE tasks t SET state = 'open', ${setFields}, state_changed_at = $1, updated_at = $1
       FROM worse c WHERE t.id = c.id RETURNING t.id)
     INSERT INTO task_events (task_id, at, kind, actor, note, before, after)
     SELECT w.id, $1, 'reopened', 'engine', 'it got worse: ' || w.old_severity || ' → ' || w.severity,
            jsonb_build_object('state', w.state, 'severity', w.old_severity),
            jsonb_build_object('state', 'open', 'severity', w.severity)
     FROM worse w JOIN x USING (id)`,
    [now, holdDays],
  );
  const created = await count(
    c,
    `WITH ins AS (
       INSERT INTO tasks (type, dedup_key, ${FIELDS.join(', ')}, created_at, updated_at, state_changed_at)
       SELECT c.type, c.dedup_key, ${cFields}, $1, $1, $1 FROM task_candidates c
       WHERE NOT EXISTS (
         SELECT 1 FROM tasks t WHERE t.dedup_key = c.dedup_key AND (t.state IN ${ACTIVE} OR (${hold})))
       ORDER BY c.severity_rank DESC, c.dedup_key
       RETURNING id, severity)
     INSERT INTO task_events (task_id, at, kind, actor, after)
     SELECT id, $1, 'created', 'engine', jsonb_build_object('state', 'open', 'severity', severity) FROM ins`,
    [now, holdDays],
  );
  const resolved = await count(
    c,
    `WITH old AS (
       SELECT t.id, t.state FROM tasks t
       WHERE t.state IN ${ACTIVE} AND t.type = ANY($2::text[])
         AND NOT EXISTS (SELECT 1 FROM task_candidates c WHERE c.dedup_key = t.dedup_key)
       FOR UPDATE),
     x AS (
       UPDATE tasks t SET state = 'resolved', snoozed_until = NULL, state_changed_at = $1, updated_at = $1
       FROM old WHERE t.id = old.id RETURNING t.id)
     INSERT INTO task_events (task_id, at, kind, actor, note, before, after)
     SELECT old.id, $1, 'resolved', 'engine', 'the condition cleared', jsonb_build_object('state', old.state),
            '{"state":"resolved"}'
     FROM old JOIN x USING (id)`,
    [now, types],
  );
  return {
    created,
    updated: Number(upd[0]?.n ?? 0),
    escalated: Number(upd[0]?.escalated ?? 0),
    reopened,
    resolved,
  };
}
