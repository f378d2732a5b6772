import type { Command } from 'commander';
import type { ImportSummary } from '../domains/vendors/import.service.ts';
import { withRuntime } from './context.ts';
import { print, problemLines, progressLine, runCommand, writeRejects } from './output.ts';

function human(s: ImportSummary): string {
  const head =
    s.status === 'skipped'
      ? `${s.file}: already imported for ${s.vendor} (price list ${s.price_list_id}); use --force to import it again`
      : s.status === 'rejected'
        ? `${s.file}: ${s.rejected} of ${s.rows} rows are invalid; nothing was imported (--skip-invalid loads the valid rows)`
        : `${s.file} → ${s.vendor}${s.dry_run ? ' (dry run: nothing written)' : ''}: ${s.rows} rows, ${s.inserted} new, ` +
          `${s.updated} updated, ${s.unchanged} unchanged, ${s.duplicates} duplicates, ${s.rejected} rejected` +
          `${s.price_list_id ? ` (price list ${s.price_list_id})` : ''} in ${(s.duration_ms / 1000).toFixed(1)} s`;
  return [head, ...problemLines(s.rejections, s.rejections_truncated)].join('\n');
}

export function registerImportPrices(program: Command): void {
  program
    .command('import-prices')
    .description('import a vendor price list (CSV/TSV/TXT, .gz, XLSX) into vendor prices')
    .argument('<file>', 'the price list file')
    .requiredOption('--vendor <name>', 'vendor the list belongs to (created on first import)')
    .option('--currency <code>', 'currency of prices without one (default: the vendor’s, else AWA_CURRENCY)')
    .option('--sheet <name>', 'XLSX sheet to read (default: the first with a price header)')
    .option(
      '--map <spec...>',
      'header mapping that wins over detection, e.g. --map "Art Nr=sku" "EK netto=cost"',
    )
    .option(
      '--skip-invalid',
      'load the valid rows and report the rest (default: any invalid row rejects the file)',
    )
    .option('--rejects <file>', 'also write every problem as CSV (line,column,value,reason)')
    .option('--dry-run', 'parse, validate and count against the database; write nothing')
    .option('--force', 'import even if this exact file was imported for this vendor before')
    .option('--json', 'print one JSON object')
    .action(async (file: string, o: Record<string, string | string[] | boolean | undefined>) => {
      const json = Boolean(o.json);
      await runCommand({ json }, async () => {
        const [{ parseMapOption }, { importDeps }, { importPriceList }] = await Promise.all([
          import('../domains/vendors/parse/index.ts'),
          import('../domains/vendors/import.deps.ts'),
          import('../domains/vendors/import.service.ts'),
        ]);
        const map = o.map ? parseMapOption(o.map as string[]) : undefined;
        return withRuntime(async (rt) => {
          const progress = progressLine(json);
          const s = await importPriceList(importDeps(rt), {
            file,
            vendor: String(o.vendor),
            currency: o.currency as string | undefined,
            sheet: o.sheet as string | undefined,
            map,
            skipInvalid: Boolean(o.skipInvalid),
            dryRun: Boolean(o.dryRun),
            force: Boolean(o.force),
            source: 'cli',
            onProgress: progress.onProgress,
          });
          progress.done();
          if (o.rejects) writeRejects(String(o.rejects), s.rejections);
          print({ json }, s, () => human(s));
          return s.status === 'rejected' ? 1 : 0;
        });
      });
    });
}
