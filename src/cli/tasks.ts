import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Task } from '../domains/decisions/tasks.types.ts';
import { AppError } from '../platform/errors.ts';
import { withRuntime } from './context.ts';
import { print, runCommand, table } from './output.ts';

const actor = () => `cli:${userInfo().username}`;
const when = (v: string | Date | null) => (v ? new Date(v).toISOString().slice(0, 16).replace('T', ' ') : '');

function taskId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 1)
    throw new AppError('invalid', `task id must be a whole number > 0 (got ${raw})`);
  return id;
}

/** `2d`, `12h`, `30m` or an ISO time → the time to snooze until. */
export function untilOf(raw: string, now: Date): string {
  const m = /^(\d{1,4})([mhd])$/.exec(raw);
  if (m) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
    return new Date(now.getTime() + Number(m[1]) * unit).toISOString();
  }
  const t = new Date(raw);
  if (Number.isNaN(t.getTime()))
    throw new AppError('invalid', `--until ${raw}: give a duration (30m, 12h, 2d) or an ISO time`, [
      { field: '--until', message: 'not a duration or time' },
    ]);
  return t.toISOString();
}

const line = (t: Task) => `#${t.id} ${t.state} ${t.severity} ${t.type}: ${t.title}`;

export function registerTasks(program: Command): void {
  const tasks = program.command('tasks').description('the decision inbox: what needs a person (SPEC §10)');
  tasks
    .command('list')
    .description('open and snoozed tasks, most severe first')
    .option(
      '--state <states>',
      'comma-separated: open, snoozed, done, dismissed, resolved, expired',
      'open,snoozed',
    )
    .option('--type <types>', 'comma-separated task types')
    .option('--severity <severities>', 'comma-separated: info, warning, critical')
    .option('--vendor <id>', 'tasks of one vendor (its id)')
    .option('--asin <asin>', 'tasks of one ASIN')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print one JSON object')
    .action(
      async (o: {
        state: string;
        type?: string;
        severity?: string;
        vendor?: string;
        asin?: string;
        limit: string;
        json?: boolean;
      }) => {
        await runCommand(o, () =>
          withRuntime(async (rt) => {
            const { listTasks } = await import('../domains/decisions/tasks.service.ts');
            const { STATES, TASK_TYPES, SEVERITIES } = await import('../domains/decisions/tasks.types.ts');
            const list = (flag: string, v: string | undefined, allowed: readonly string[]) => {
              const out = v?.split(',').map((s) => s.trim());
              const bad = out?.find((s) => !allowed.includes(s));
              if (bad !== undefined)
                throw new AppError('invalid', `${flag} ${bad}: not one of ${allowed.join(', ')}`, [
                  { field: flag, message: 'unknown value' },
                ]);
              return out as never;
            };
            const limit = Number(o.limit);
            if (!Number.isInteger(limit) || limit < 1 || limit > 200)
              throw new AppError('invalid', `--limit ${o.limit}: a whole number 1…200`, [
                { field: '--limit', message: 'out of range' },
              ]);
            const r = await listTasks(rt, {
              state: list('--state', o.state, STATES),
              type: list('--type', o.type, TASK_TYPES),
              severity: list('--severity', o.severity, SEVERITIES),
              vendor_id: o.vendor ? taskId(o.vendor) : undefined,
              asin: o.asin,
              page: 1,
              page_size: limit,
            });
            print(o, r, () => {
              if (r.items.length === 0) return 'nothing to do';
              const rows = r.items.map((t) => [
                `#${t.id}`,
                t.severity,
                t.state,
                t.type,
                when(t.due),
                t.title,
              ]);
              const more = r.total > r.items.length ? `\n${r.total - r.items.length} more (--limit)` : '';
              return table([['id', 'severity', 'state', 'type', 'due', 'title'], ...rows]) + more;
            });
            return 0;
          }),
        );
      },
    );
  tasks
    .command('show <id>')
    .description('a task: why it exists, what acting on it does, its history')
    .option('--json', 'print one JSON object')
    .action(async (id: string, o: { json?: boolean }) => {
      await runCommand(o, () =>
        withRuntime(async (rt) => {
          const { getTask } = await import('../domains/decisions/tasks.service.ts');
          const t = await getTask(rt, taskId(id));
          print(o, t, () =>
            [
              line(t),
              ...t.why.map((w) => `  why: ${w.message}`),
              t.due ? `  due: ${when(t.due)}` : '',
              t.action ? `  action: ${t.action.default.label}` : '',
              ...t.events.map((e) => `  ${when(e.at)} ${e.kind} by ${e.actor}${e.note ? `: ${e.note}` : ''}`),
            ]
              .filter(Boolean)
              .join('\n'),
          );
          return 0;
        }),
      );
    });
  const move =
    (to: 'done' | 'dismissed' | 'open' | 'snoozed', what: string) =>
    async (id: string, o: { note?: string; until?: string; json?: boolean }) => {
      await runCommand(o, () =>
        withRuntime(async (rt) => {
          const { transition } = await import('../domains/decisions/tasks.service.ts');
          if (to === 'snoozed' && !o.until)
            throw new AppError('invalid', 'snooze needs --until (30m, 12h, 2d or an ISO time)', [
              { field: '--until', message: 'required' },
            ]);
          const until = to === 'snoozed' ? untilOf(o.until!, rt.clock.now()) : undefined;
          const t = await transition(rt, taskId(id), { to, until, note: o.note }, actor());
          print(o, t, () => `${what}: ${line(t)}${until ? ` until ${when(until)}` : ''}`);
          return 0;
        }),
      );
    };
  for (const [name, to, what] of [
    ['done', 'done', 'done'],
    ['dismiss', 'dismissed', 'dismissed'],
    ['reopen', 'open', 'reopened'],
  ] as const) {
    tasks
      .command(`${name} <id>`)
      .description(`mark a task ${to}`)
      .option('--note <text>', 'why, for the next person')
      .option('--json', 'print one JSON object')
      .action(move(to, what));
  }
  tasks
    .command('snooze <id>')
    .description('hide a task until a time; it reopens by itself')
    .requiredOption('--until <when>', '30m, 12h, 2d or an ISO time')
    .option('--note <text>', 'why, for the next person')
    .option('--json', 'print one JSON object')
    .action(move('snoozed', 'snoozed'));
  tasks
    .command('evaluate')
    .description('evaluate every rule now (what the decisions job does)')
    .option('--dry-run', 'evaluate and roll back: the counts, nothing written')
    .option('--json', 'print one JSON object')
    .action(async (o: { dryRun?: boolean; json?: boolean }) => {
      await runCommand(o, () =>
        withRuntime(async (rt) => {
          const { evaluate } = await import('../domains/decisions/engine.service.ts');
          const { agentSchedules } = await import('../domains/decisions/schedules.ts');
          const schedules = await agentSchedules(rt.config, rt.clock.now());
          const r = await evaluate(rt, { schedules, dryRun: o.dryRun });
          print(
            o,
            r,
            () =>
              `${r.dry_run ? 'dry run (rolled back): ' : ''}${r.created} created, ${r.updated} updated (${r.escalated} escalated), ` +
              `${r.reopened} reopened, ${r.resolved} resolved, ${r.woke} woke, ${r.expired} expired in ${r.duration_ms} ms`,
          );
          return 0;
        }),
      );
    });
}
