import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Queryable } from '../../platform/db/queryable.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './tasks.repo.ts';
import type { TargetState, Task, TaskEvent, TaskState } from './tasks.types.ts';

export interface TasksDeps {
  db: Db;
  clock: Clock;
}

export interface ListInput extends Omit<repo.TaskFilter, 'due_before'> {
  due_before?: string;
  sort?: repo.TaskSort;
  page: number;
  page_size: number;
}

export async function listTasks(deps: TasksDeps, q: ListInput) {
  const { sort = 'severity', page, page_size, due_before, ...f } = q;
  const r = await repo.listTasks(
    deps.db.pool,
    { ...f, due_before: due_before ? new Date(due_before) : undefined },
    sort,
    page_size,
    (page - 1) * page_size,
  );
  return { ...r, page, page_size };
}

/** Open tasks per severity and type: the shell's badge. */
export async function taskCounts(deps: TasksDeps) {
  const rows = await repo.countActive(deps.db.pool);
  const by = (k: 'type' | 'severity') => {
    const out: Record<string, number> = {};
    for (const r of rows) out[r[k]] = (out[r[k]] ?? 0) + r.n;
    return out;
  };
  return { open: rows.reduce((s, r) => s + r.n, 0), by_severity: by('severity'), by_type: by('type') };
}

export async function getTask(deps: TasksDeps, id: number): Promise<Task & { events: TaskEvent[] }> {
  const task = await repo.getTask(deps.db.pool, id);
  if (!task) throw new AppError('not_found', `task ${id} not found`);
  return { ...task, events: await repo.taskEvents(deps.db.pool, id) };
}

export interface TransitionInput {
  to: TargetState;
  until?: string;
  /** Snooze for this long from the server's clock: a preset ("3 days") needs no client clock. */
  for_hours?: number;
  note?: string;
}

/** The moves a person may make; `resolved` and `expired` belong to the engine and end a task. */
const ALLOWED: Record<TaskState, readonly TargetState[]> = {
  open: ['snoozed', 'done', 'dismissed'],
  snoozed: ['open', 'snoozed', 'done', 'dismissed'],
  done: ['open'],
  dismissed: ['open'],
  resolved: [],
  expired: [],
};

const MAX_SNOOZE_DAYS = 365;

function snoozeUntil(input: TransitionInput, now: Date): Date | null {
  const given = (['until', 'for_hours'] as const).filter((k) => input[k] !== undefined);
  if (input.to !== 'snoozed') {
    if (given.length > 0)
      throw new AppError('invalid', `${given[0]} is only for "to": "snoozed"`, [
        { field: given[0]!, message: 'not allowed' },
      ]);
    return null;
  }
  if (given.length !== 1)
    throw new AppError('invalid', 'snoozing needs "until" or "for_hours", one of them', [
      { field: 'until', message: given.length ? 'not both' : 'required' },
    ]);
  if (input.for_hours !== undefined) return new Date(now.getTime() + input.for_hours * 3_600_000);
  const until = new Date(input.until!);
  const ms = until.getTime() - now.getTime();
  if (Number.isNaN(ms) || ms <= 0)
    throw new AppError('invalid', `until ${input.until} is not in the future`, [
      { field: 'until', message: 'must be a future time' },
    ]);
  if (ms > MAX_SNOOZE_DAYS * 86_400_000)
    throw new AppError('invalid', `until ${input.until} is more than ${MAX_SNOOZE_DAYS} days away`, [
      { field: 'until', message: `at most ${MAX_SNOOZE_DAYS} days ahead` },
    ]);
  return until;
}

async function move(
  c: Queryable,
  task: Task,
  input: TransitionInput,
  actor: string,
  now: Date,
): Promise<Task> {
  if (!ALLOWED[task.state].includes(input.to)) {
    throw new AppError('conflict', `task ${task.id} is ${task.state}: it cannot move to ${input.to}`, [
      { field: 'to', message: `allowed from ${task.state}: ${ALLOWED[task.state].join(', ') || 'none'}` },
    ]);
  }
  const until = snoozeUntil(input, now);
  if (input.to === 'open' && (task.state === 'done' || task.state === 'dismissed')) {
    if (await repo.otherActive(c, task.id, task.dedup_key))
      throw new AppError('conflict', `task ${task.id} has a newer active task for the same subject`);
  }
  await repo.setState(c, task.id, input.to, until, now);
  await repo.addEvent(c, {
    task_id: task.id,
    at: now,
    kind: 'transition',
    actor,
    note: input.note ?? null,
    before: { state: task.state, snoozed_until: task.snoozed_until },
    after: { state: input.to, snoozed_until: until },
  });
  return (await repo.getTask(c, task.id))!;
}

/** One person's move of one task (409 for a move its state does not allow), recorded as an event. */
export async function transition(
  deps: TasksDeps,
  id: number,
  input: TransitionInput,
  actor: string,
): Promise<Task> {
  return withTransaction(deps.db, async (c) => {
    const task = await repo.getTask(c, id, true);
    if (!task) throw new AppError('not_found', `task ${id} not found`);
    return move(c, task, input, actor, deps.clock.now());
  });
}

export type BulkItem =
  | { id: number; ok: true; state: TaskState }
  | { id: number; ok: false; error: { code: string; message: string } };

/** The same move for many tasks: each answered on its own, the valid ones applied together. */
export async function transitionMany(
  deps: TasksDeps,
  ids: number[],
  input: TransitionInput,
  actor: string,
): Promise<{ items: BulkItem[]; moved: number }> {
  const now = deps.clock.now();
  snoozeUntil(input, now); // a bad `until` is the request's fault, not each item's
  return withTransaction(deps.db, async (c) => {
    const found = new Map((await repo.getTasks(c, ids)).map((t) => [t.id, t]));
    const items: BulkItem[] = [];
    for (const id of [...new Set(ids)]) {
      const task = found.get(id);
      if (!task) {
        items.push({ id, ok: false, error: { code: 'not_found', message: `task ${id} not found` } });
        continue;
      }
      try {
        items.push({ id, ok: true, state: (await move(c, task, input, actor, now)).state });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        items.push({ id, ok: false, error: { code: err.kind, message: err.message } });
      }
    }
    return { items, moved: items.filter((i) => i.ok).length };
  });
}

/** Gives a task to a person (null: to nobody), recorded as an event. */
export async function assign(
  deps: TasksDeps,
  id: number,
  assignee: string | null,
  actor: string,
): Promise<Task> {
  return withTransaction(deps.db, async (c) => {
    const task = await repo.getTask(c, id, true);
    if (!task) throw new AppError('not_found', `task ${id} not found`);
    if (task.assignee === assignee) return task;
    const now = deps.clock.now();
    await repo.setAssignee(c, id, assignee, now);
    await repo.addEvent(c, {
      task_id: id,
      at: now,
      kind: 'assigned',
      actor,
      before: { assignee: task.assignee },
      after: { assignee },
    });
    return (await repo.getTask(c, id))!;
  });
}
