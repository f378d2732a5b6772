import type { Command } from 'commander';
import type { UpdateResult } from '../domains/roi/roi.service.ts';
import { withRuntime } from './context.ts';
import { print, runCommand } from './output.ts';

function describe(r: UpdateResult): string {
  const what =
    r.mode === 'rebuild'
      ? `rebuilt ${r.asins.toLocaleString('en')} ASINs`
      : `recomputed ${r.asins.toLocaleString('en')} ASINs from ${r.keys.toLocaleString('en')} changed keys`;
  const rows = r.rows === null ? '' : `; ${r.rows.toLocaleString('en')} offers`;
  const head = r.mode === 'changes' && r.keys === 0 ? 'ROI is up to date: nothing changed' : `${what}${rows}`;
  const diff = `${r.deleted.toLocaleString('en')} rows replaced or removed, ${r.inserted.toLocaleString('en')} written`;
  return `${r.dry_run ? 'dry run (rolled back): ' : ''}${head} (${diff}) in ${r.duration_ms} ms`;
}

export function registerRoi(program: Command): void {
  const roi = program.command('roi').description('landed cost and ROI of vendor offers (roi_offers)');
  const run = (rebuild: boolean) => async (o: { dryRun?: boolean; json?: boolean }) => {
    await runCommand(o, async () => {
      const { roiSettingsFrom, updateRoi } = await import('../domains/roi/roi.service.ts');
      return withRuntime(async (rt) => {
        const r = await updateRoi(rt.db, {
          settings: roiSettingsFrom(rt.config),
          reason: rebuild ? 'cli:rebuild' : 'cli:update',
          clock: rt.clock,
          rebuild,
          dryRun: o.dryRun,
        });
        print(o, r, () => describe(r));
        return 0;
      });
    });
  };
  roi
    .command('update')
    .description('apply what changed since the last run (what imports and the schedule do)')
    .option('--dry-run', 'compute and count, then roll back: nothing written, the changes stay noted')
    .option('--json', 'print one JSON object')
    .action(run(false));
  roi
    .command('rebuild')
    .description('recompute every offer from its inputs (gives the same rows as the updates)')
    .option('--dry-run', 'compute and count, then roll back: nothing written')
    .option('--json', 'print one JSON object')
    .action(run(true));
}
