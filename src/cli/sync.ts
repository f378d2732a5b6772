import type { Command } from 'commander';
import type { SyncResult } from '../domains/sync/sync.types.ts';
import { AppError } from '../platform/errors.ts';
import { withRuntime } from './context.ts';
import { print, runCommand, table } from './output.ts';

const when = (v: string | null) => (v ? v.slice(0, 16).replace('T', ' ') : '-');
const day = (v: string) => v.slice(0, 10);

/** `--since 2026-09-01` or an ISO time; anything else is refused before anything runs. */
export function sinceOf(raw: string): string {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? new Date(`${raw}T00:00:00Z`) : new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(t.getTime())) {
    throw new AppError('invalid', `--since ${raw}: give a date (2026-09-01) or an ISO time`, [
      { field: '--since', message: 'not a date' },
    ]);
  }
  return t.toISOString();
}

export function registerSync(program: Command): void {
  const sync = program
    .command('sync')
    .description('Amazon reports pulled from SP-API (Reports API), per report type and marketplace');
  sync
    .command('status')
    .description('per type and marketplace: last data window, last success, next run, last error, rows')
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean }) => {
      await runCommand(o, () =>
        withRuntime(async (rt) => {
          const { syncStatus } = await import('../domains/sync/sync.status.ts');
          const s = await syncStatus(rt);
          print(o, s, () => {
            const head = s.configured ? '' : `not configured: ${s.reason}\n`;
            if (s.items.length === 0) return `${head}nothing synced yet (awa sync run --all)`;
            const rows = s.items.map((i) => [
              i.name,
              i.marketplace,
              i.last_window ? `${day(i.last_window.start)}…${day(i.last_window.end)}` : '-',
              when(i.last_success_at),
              when(i.next_run_at),
              String(i.rows_loaded),
              i.fresh ? 'yes' : 'NO',
              i.last_error ?? '',
            ]);
            const header = [
              'TYPE',
              'MP',
              'LAST WINDOW',
              'LAST SUCCESS',
              'NEXT RUN',
              'ROWS',
              'FRESH',
              'LAST ERROR',
            ];
            return head + table([header, ...rows]);
          });
          return 0;
        }),
      );
    });
  sync
    .command('run')
    .description(
      'pull reports now: one type (listings, inventory, returns, reimbursements, fee_preview, ledger, settlements, or the SP-API name) or --all',
    )
    .argument('[type]', 'report type (see: awa sync status --json, types)')
    .option('--all', 'every report type')
    .option('--marketplace <code>', 'one marketplace (default: every participating one)')
    .option('--since <date>', 'start the first window here (YYYY-MM-DD or ISO time) instead of the watermark')
    .option(
      '--force',
      'also what is not due yet (snapshots are asked for again; windows only when new days exist)',
    )
    .option('--dry-run', 'plan the windows and list new settlements; request and write nothing')
    .option('--json', 'print {"status","runs":[{type,marketplace,status,rows,window}]}')
    .action(
      async (
        type: string | undefined,
        o: {
          all?: boolean;
          marketplace?: string;
          since?: string;
          force?: boolean;
          dryRun?: boolean;
          json?: boolean;
        },
      ) => {
        await runCommand(o, async () => {
          if (!type === !o.all)
            throw new AppError('invalid', 'give one report type or --all (not both, not neither)');
          const [{ syncTypeInput }, { marketplaceCodeInput }] = await Promise.all([
            import('../domains/sync/catalogue.ts'),
            import('../platform/amazon/marketplaces.ts'),
          ]);
          const types = type ? [syncTypeInput(type).spType] : undefined;
          const marketplace = o.marketplace === undefined ? undefined : marketplaceCodeInput(o.marketplace);
          const since = o.since === undefined ? undefined : sinceOf(o.since);
          const [{ syncJob }, { notConfigured }, { runJob }, { Metrics }] = await Promise.all([
            import('../domains/sync/sync.job.ts'),
            import('../domains/sync/sync.clients.ts'),
            import('../platform/jobs/runner.ts'),
            import('../platform/metrics.ts'),
          ]);
          return withRuntime(async (rt) => {
            const why = notConfigured(rt.config);
            if (why) throw new AppError('config', `sync: ${why}`);
            const run = await runJob(syncJob, rt, new Metrics(), {
              dryRun: o.dryRun ?? false,
              trigger: 'manual',
              data: { types, marketplace, since, force: o.force ?? false },
            });
            const result = run.result as SyncResult | undefined;
            if (!result || !Array.isArray(result.runs)) {
              throw new AppError(
                run.retryable ? 'upstream' : 'invalid',
                run.error ?? run.reason ?? 'sync failed',
              );
            }
            const problems = run.error ?? run.reason;
            if (problems) process.stderr.write(`${problems}\n`);
            print(
              o,
              { status: result.status, runs: result.runs },
              () =>
                table([
                  ['TYPE', 'MP', 'STATUS', 'ROWS', 'WINDOW'],
                  ...result.runs.map((r) => [
                    r.type,
                    r.marketplace,
                    r.status,
                    r.rows === null ? '-' : String(r.rows),
                    r.window ? `${r.window.start} … ${r.window.end}` : '-',
                  ]),
                ]) + `\n${result.status}${run.dry_run ? ' (dry run)' : ''}: run ${run.run_id}`,
            );
            return result.status === 'success' ? 0 : 1;
          });
        });
      },
    );
}
