import os from 'node:os';
import type { Command } from 'commander';
import type { ImportResult } from '../domains/repricer/rules.service.ts';
import { withRuntime } from './context.ts';
import { print, runCommand } from './output.ts';

function human(r: ImportResult): string {
  return (
    `${r.file}${r.dry_run ? ' (dry run: nothing written)' : ''}: ${r.rules} rules, ${r.inserted} new, ` +
    `${r.updated} updated, ${r.unchanged} unchanged`
  );
}

export function registerRepricer(program: Command): void {
  const repricer = program.command('repricer').description('repricer rules and runs');
  const rules = repricer.command('rules').description('per-SKU repricer rules');
  rules
    .command('import')
    .description('create or replace rules from a CSV/TSV/XLSX file (all rows or none)')
    .argument('<file>', 'columns sku,min_price,max_price,map_price,strategy,step,enabled[,marketplace]')
    .option('--dry-run', 'validate and count against the database; write nothing')
    .option('--json', 'print one JSON object')
    .action(async (file: string, o: { dryRun?: boolean; json?: boolean }) => {
      await runCommand(o, async () => {
        const { importRules } = await import('../domains/repricer/rules.service.ts');
        return withRuntime(async (rt) => {
          const r = await importRules(rt.db, {
            file,
            dryRun: o.dryRun ?? false,
            by: `cli:${os.userInfo().username}`,
            marketplace: rt.config.AWA_MARKETPLACE,
            maxUncompressedBytes: rt.config.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES,
          });
          print(o, r, () => human(r));
          return 0;
        });
      });
    });
}
