import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { IngestSummary } from '../domains/reports/ingest.service.ts';
// the catalog is plain data: it names the report types for --help without loading the parsers
import { parseReportType, REPORT_TYPES } from '../domains/reports/parse/catalog.ts';
import { withRuntime } from './context.ts';
import { print, problemLines, progressLine, runCommand, writeRejects } from './output.ts';

function human(s: IngestSummary): string {
  const head =
    s.status === 'skipped'
      ? `${s.file}: this ${s.type} report was ingested before (load ${s.load_id}); use --force to ingest it again`
      : s.status === 'rejected'
        ? `${s.file}: ${s.rejected} of ${s.rows} rows are invalid; nothing was ingested (--skip-invalid loads the valid rows)`
        : `${s.file} → ${s.type} (${s.marketplace})${s.dry_run ? ' (dry run: nothing written)' : ''}: ` +
          `${s.rows} rows, ${s.inserted} new, ${s.updated} updated, ${s.replaced} replaced, ` +
          `${s.closed ? `${s.closed} closed, ` : ''}${s.kept ? `${s.kept} kept back, ` : ''}` +
          `${s.duplicates} already known, ${s.rejected} rejected` +
          `${s.load_id ? ` (load ${s.load_id})` : ''} in ${(s.duration_ms / 1000).toFixed(1)} s`;
  const notes = s.notes.map((n) => `  note: ${n}`);
  if (s.date_order) {
    const order = s.date_order.order === 'month_first' ? 'month first' : 'day first';
    notes.unshift(`  dates read ${order}: ${s.date_order.decided_by}`);
  }
  return [head, ...notes, ...problemLines(s.rejections, s.rejections_truncated)].join('\n');
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('ingest an Amazon report (TSV as Amazon ships it, CSV, XLSX, .gz) into its tables')
    .argument('<source>', 'a path, file://, s3://bucket/key or http(s):// URL')
    .option('--type <type>', `report type (default: detected from the header): ${REPORT_TYPES.join(', ')}`)
    .option('--marketplace <code>', 'marketplace the report belongs to (default: AWA_MARKETPLACE)')
    .option(
      '--skip-invalid',
      'load the valid rows and report the rest (default: any invalid row rejects the file)',
    )
    .option('--rejects <file>', 'also write every problem as CSV (line,column,value,reason)')
    .option('--dry-run', 'parse, validate and merge inside a transaction that is rolled back')
    .option('--force', 'ingest even if this exact file was ingested before')
    .option('--json', 'print one JSON object')
    .action(async (source: string, o: Record<string, string | boolean | undefined>) => {
      const json = Boolean(o.json);
      await runCommand({ json }, async () => {
        const type = o.type === undefined ? undefined : parseReportType(String(o.type));
        const [{ ingestDeps }, { ingestReport }, { fetchToLocal }] = await Promise.all([
          import('../domains/reports/ingest.deps.ts'),
          import('../domains/reports/ingest.service.ts'),
          import('../platform/sources.ts'),
        ]);
        return withRuntime(async (rt) => {
          const dir = mkdtempSync(path.join(os.tmpdir(), 'awa-ingest-'));
          const progress = progressLine(json);
          try {
            const local = await fetchToLocal(source, dir, { store: rt.store, storage: rt.config });
            const s = await ingestReport(ingestDeps(rt), {
              file: local.file,
              fileName: local.name,
              type,
              marketplace: o.marketplace as string | undefined,
              skipInvalid: Boolean(o.skipInvalid),
              dryRun: Boolean(o.dryRun),
              force: Boolean(o.force),
              source: 'cli',
              origin: local.origin,
              onProgress: progress.onProgress,
            });
            progress.done();
            if (o.rejects) writeRejects(String(o.rejects), s.rejections);
            print({ json }, s, () => human(s));
            return s.status === 'rejected' ? 1 : 0;
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        });
      });
    });
}
