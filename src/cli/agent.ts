import type { Command } from 'commander';
import { AppError } from '../platform/errors.ts';
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
        const { JOBS, schedulesFor } = await import('../jobs/registry.ts');
        const schedules = schedulesFor(await configWith());
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
    // the agents' names live in the jobs registry, which imports every domain: too heavy for --help
    .argument('<name>', 'agent name (see: awa agent list)')
    .option('--dry-run', 'compute and report, write no business data')
    .option('--asins <list>', 'only these ASINs (comma-separated), for agents that work per ASIN')
    .option('--mode <mode>', 'repricer, offers: dry_run, apply or live (default REPRICER_MODE)')
    .option('--json', 'print {"agent","run_id","status","dry_run",...counts, result}')
    .action(async (name: string, o: { dryRun?: boolean; json?: boolean; asins?: string; mode?: string }) => {
      await runCommand(o, async () => {
        const { findJob, JOBS } = await import('../jobs/registry.ts');
        const def = findJob(name);
        if (!def)
          throw new AppError(
            'not_found',
            `unknown agent "${name}"; known: ${JOBS.map((j) => j.name).join(', ')}`,
          );
        const data: Record<string, unknown> = {};
        if (o.asins !== undefined) data.asins = parseAsins(o.asins);
        if (o.mode !== undefined) {
          if (!['dry_run', 'apply', 'live'].includes(o.mode)) {
            throw new AppError('invalid', `--mode must be dry_run, apply or live (not ${o.mode})`);
          }
          data.mode = o.mode;
        }
        const [{ runJob }, { Metrics }, { afterAgentRun }] = await Promise.all([
          import('../platform/jobs/index.ts'),
          import('../platform/metrics.ts'),
          import('../domains/decisions/agents.hook.ts'),
        ]);
        return withRuntime(async (rt) => {
          const run = await runJob(def, rt, new Metrics(), {
            dryRun: o.dryRun ?? false,
            trigger: 'manual',
            data,
          });
          await afterAgentRun(rt)(run);
          const { counts, retryable: _retryable, result, ...rest } = run;
          print(o, { ...rest, ...counts, ...(result === undefined ? {} : { result }) }, () => {
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

function parseAsins(list: string): string[] {
  const asins = [...new Set(list.split(',').map((a) => a.trim().toUpperCase()))].filter(Boolean);
  const bad = asins.filter((a) => !/^[A-Z0-9]{10}$/.test(a));
  if (asins.length === 0 || bad.length > 0) {
    throw new AppError(
      'invalid',
      `--asins must be comma-separated 10-character ASINs (not: ${bad.join(', ')})`,
    );
  }
  return asins;
}
