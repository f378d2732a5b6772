import type { Command } from 'commander';
import { findJob, JOBS, schedulesFor } from '../jobs/registry.ts';
import { AppError } from '../platform/errors.ts';
import { runJob } from '../platform/jobs/index.ts';
import { Metrics } from '../platform/metrics.ts';
import { configWith, withRuntime } from './context.ts';
import { print, runCommand, table } from './output.ts';

export function registerAgent(program: Command): void {
  const agent = program.command('agent').description('run and inspect agents (scheduled jobs)');
  agent
    .command('list')
    .description('list agents and their schedules')
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean }) => {
      await runCommand(o, async () => {
        const schedules = schedulesFor(configWith());
        const items = JOBS.map((j) => ({
          name: j.name,
          description: j.description,
          schedule: schedules.get(j.name) ?? null,
        }));
        print(o, { items }, () =>
          table([
            ['AGENT', 'SCHEDULE (UTC)', 'WHAT'],
            ...items.map((i) => [i.name, i.schedule ?? '-', i.description]),
          ]),
        );
        return 0;
      });
    });
  agent
    .command('run')
    .description('run one agent now, in this process, and print the run')
    .argument('<name>', `agent name (${JOBS.map((j) => j.name).join(', ')})`)
    .option('--dry-run', 'compute and report, write no business data')
    .option('--json', 'print {"agent","run_id","status","dry_run",...counts}')
    .action(async (name: string, o: { dryRun?: boolean; json?: boolean }) => {
      await runCommand(o, async () => {
        const def = findJob(name);
        if (!def)
          throw new AppError(
            'not_found',
            `unknown agent "${name}"; known: ${JOBS.map((j) => j.name).join(', ')}`,
          );
        return withRuntime(async (rt) => {
          const run = await runJob(def, rt, new Metrics(), { dryRun: o.dryRun ?? false, trigger: 'manual' });
          const { counts, retryable: _retryable, result: _result, ...rest } = run;
          print(o, { ...rest, ...counts }, () => {
            const c = Object.entries(counts)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ');
            const why = run.error ?? run.reason;
            return `${run.agent} ${run.status}${run.dry_run ? ' (dry run)' : ''} in ${run.duration_ms} ms  ${c}${why ? `\n${why}` : ''}\nrun ${run.run_id}`;
          });
          return run.status === 'failed' ? 1 : 0;
        });
      });
    });
}
