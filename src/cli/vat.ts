import type { Command } from 'commander';
import { AppError } from '../platform/errors.ts';
import { withRuntime } from './context.ts';
import { print, runCommand, table } from './output.ts';

interface Target {
  category?: string;
  asin?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** `--category NAME` or `--asin ASIN`, exactly one. */
function scopeOf(o: Target): { scope: string; key: string } {
  if (Boolean(o.category) === Boolean(o.asin))
    throw new AppError('invalid', 'give exactly one of --category or --asin');
  return o.category ? { scope: 'category', key: o.category } : { scope: 'asin', key: o.asin! };
}

const pct = (rate: number | string) => `${(Number(rate) * 100).toFixed(2).replace(/\.?0+$/, '')} %`;

export function registerVat(program: Command): void {
  const vat = program.command('vat').description('VAT rates used by ROI and the repricer floor');
  vat
    .command('list')
    .description("the marketplace's rate, whether you are registered, and reduced rates")
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean }) => {
      await runCommand(o, () =>
        withRuntime(async (rt) => {
          const { listVat } = await import('../domains/roi/vat.service.ts');
          const v = await listVat(rt);
          print(o, v, () => {
            const head =
              `${v.marketplace}: ${pct(v.rate)} (${v.rate_source === 'VAT_RATE' ? 'VAT_RATE' : 'standard rate'}), ` +
              `${v.registered ? 'VAT-registered: ROI uses net prices' : 'not registered: ROI uses gross prices, costs carry VAT'}`;
            const rows = v.reduced.map((r) => [r.scope, r.key, pct(r.rate), r.note ?? '']);
            return rows.length ? `${head}\n${table([['scope', 'key', 'rate', 'note'], ...rows])}` : head;
          });
          return 0;
        }),
      );
    });
  vat
    .command('set')
    .description('set a reduced rate for a product category or one ASIN (ROI refreshes)')
    .option('--category <name>', 'product category as in the catalogue (any case), e.g. Books')
    .option('--asin <asin>', 'one ASIN')
    .requiredOption('--rate <fraction>', 'e.g. 0.07 for 7 %')
    .option('--note <text>', 'why, for the next person')
    .option('--dry-run', 'validate only; write nothing')
    .option('--json', 'print one JSON object')
    .action(async (o: Target & { rate: string; note?: string }) => {
      await runCommand(o, () =>
        withRuntime(async (rt) => {
          const { setVatRates } = await import('../domains/roi/vat.service.ts');
          const r = await setVatRates(rt, {
            rates: [{ ...scopeOf(o), rate: o.rate, note: o.note ?? null }],
            dry_run: o.dryRun,
          });
          const what = r.inserted ? 'set' : r.updated ? 'changed' : 'unchanged';
          print(o, r, () => `${what}${r.dry_run ? ' (dry run: nothing written)' : ''}`);
          return 0;
        }),
      );
    });
  vat
    .command('unset')
    .description('remove a reduced rate: the standard rate applies again (ROI refreshes)')
    .option('--category <name>', 'product category')
    .option('--asin <asin>', 'one ASIN')
    .option('--dry-run', 'check only; write nothing')
    .option('--json', 'print one JSON object')
    .action(async (o: Target) => {
      await runCommand(o, () =>
        withRuntime(async (rt) => {
          const { removeVatRate } = await import('../domains/roi/vat.service.ts');
          const r = await removeVatRate(rt, { ...scopeOf(o), dry_run: o.dryRun });
          print(o, r, () => `removed${r.dry_run ? ' (dry run: nothing written)' : ''}`);
          return 0;
        }),
      );
    });
}
