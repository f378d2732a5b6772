import { param, type Queryable } from '../../platform/db/queryable.ts';
import { STATES, type Task, type TaskEvent, type TaskState } from './tasks.types.ts';

const COLUMNS = `id::int, type, dedup_key, state, severity, title, why, links, action, details, marketplace, asin,
  sku, vendor_id::int, due_at AS due, snoozed_until, expires_at, assignee, created_at, updated_at, state_changed_at`;

export interface TaskFilter {
  state?: TaskState[];
  type?: string[];
  severity?: string[];
  vendor_id?: number;
  asin?: string;
  sku?: string;
  assignee?: string;
  due_before?: Date;
  q?: string;
}

export type TaskSort = 'severity' | 'due' | 'created' | 'updated';

// tasks.id, not id: a bare name in ORDER BY means the output column, here the cast id::int, which no
// index serves
const ORDER: Record<TaskSort, string> = {
  severity: 'severity_rank DESC, due_at ASC NULLS LAST, tasks.id DESC',
  due: 'due_at ASC NULLS LAST, severity_rank DESC, tasks.id DESC',
  created: 'created_at DESC, tasks.id DESC',
  updated: 'updated_at DESC, tasks.id DESC',
};

function where(f: TaskFilter, params: unknown[]): string {
  const w: string[] = [];
  // states inline, not a parameter: they are checked words (STATES), and only a literal list lets the
  // planner use the partial indexes of the active tasks (WHERE state IN ('open', 'snoozed'))
  if (f.state?.length) {
    const states = f.state.filter((s) => STATES.includes(s)).map((s) => `'${s}'`);
    w.push(states.length ? `state IN (${states.join(', ')})` : 'false');
  }
  if (f.type?.length) w.push(`type = ANY(${param(params, f.type)}::text[])`);
  if (f.severity?.length) w.push(`severity = ANY(${param(params, f.severity)}::text[])`);
  if (f.vendor_id !== undefined) w.push(`vendor_id = ${param(params, f.vendor_id)}`);
  if (f.asin) w.push(`asin = ${param(params, f.asin)}`);
  if (f.sku) w.push(`sku = ${param(params, f.sku)}`);
  if (f.assignee) w.push(`assignee = ${param(params, f.assignee)}`);
  if (f.due_before) w.push(`due_at < ${param(params, f.due_before)}`);
  if (f.q) w.push(`title ILIKE ${param(params, `%${f.q.replace(/[\\%_]/g, '\\$&')}%`)}`);
  return w.length ? `WHERE ${w.join(' AND ')}` : '';
}

export async function listTasks(
  c: Queryable,
  f: TaskFilter,
  sort: TaskSort,
  limit: number,
  offset: number,
): Promise<{ items: Task[]; total: number }> {
  const params: unknown[] = [];
  const w = where(f, params);
  // the details (a plan's lines, a list's changed costs) can be large: the list leaves them out
  const { rows } = await c.query<Task>(
    `SELECT ${COLUMNS.replace('details,', 'NULL AS details,')} FROM tasks ${w} ORDER BY ${ORDER[sort]}
     LIMIT ${param(params, limit)} OFFSET ${param(params, offset)}`,
    params,
  );
  const countParams: unknown[] = [];
  const { rows: n } = await c.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM tasks ${where(f, countParams)}`,
    countParams,
  );
  return { items: rows, total: n[0]?.n ?? 0 };
}

/** Active tasks per type and severity: the shell's badge and the inbox's group headers. */
export async function countActive(c: Queryable): Promise<{ type: string; severity: string; n: number }[]> {
  const { rows } = await c.query(
    `SELECT type, severity, count(*)::int AS n FROM tasks WHERE state = 'open' GROUP BY type, severity`,
  );
  return rows;
}

export async function getTask(c: Queryable, id: number, lock = false): Promise<Task | undefined> {
  const { rows } = await c.query<Task>(
    `SELECT ${COLUMNS} FROM tasks WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function getTasks(c: Queryable, ids: number[]): Promise<Task[]> {
  const { rows } = await c.query<Task>(
    `SELECT ${COLUMNS} FROM tasks WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`,
    [ids],
  );
  return rows;
}

export async function taskEvents(c: Queryable, id: number): Promise<TaskEvent[]> {
  const { rows } = await c.query<TaskEvent>(
    `SELECT id::int, at, kind, actor, note, before, after FROM task_events WHERE task_id = $1 ORDER BY id`,
    [id],
  );
  return rows;
}

export async function setState(
  c: Queryable,
  id: number,
  state: TaskState,
  snoozedUntil: Date | null,
  at: Date,
): Promise<void> {
  await c.query(
    `UPDATE tasks SET state = $2, snoozed_until = $3, state_changed_at = $4, updated_at = $4 WHERE id = $1`,
    [id, state, snoozedUntil, at],
  );
}

export async function setAssignee(
  c: Queryable,
  id: number,
  assignee: string | null,
  at: Date,
): Promise<void> {
  await c.query('UPDATE tasks SET assignee = $2, updated_at = $3 WHERE id = $1', [id, assignee, at]);
}

export async function addEvent(
  c: Queryable,
  e: {
    task_id: number;
    at: Date;
    kind: string;
    actor: string;
    note?: string | null;
    before?: unknown;
    after?: unknown;
  },
): Promise<void> {
  await c.query(
    `INSERT INTO task_events (task_id, at, kind, actor, note, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.task_id, e.at, e.kind, e.actor, e.note ?? null, e.before ?? null, e.after ?? null],
  );
}

/** Whether another task of the key is active (reopening this one would make two). */
export async function otherActive(c: Queryable, id: number, key: string): Promise<boolean> {
  const { rows } = await c.query(
    `SELECT 1 FROM tasks WHERE dedup_key = $1 AND id <> $2 AND state IN ('open', 'snoozed') LIMIT 1`,
    [key, id],
  );
  return rows.length > 0;
}

/** Whether a task of the key is active (open or snoozed). */
export async function hasActiveTask(c: Queryable, key: string): Promise<boolean> {
  const { rows } = await c.query(
    `SELECT 1 FROM tasks WHERE dedup_key = $1 AND state IN ('open', 'snoozed') LIMIT 1`,
    [key],
  );
  return rows.length > 0;
}
