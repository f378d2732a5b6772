import { AppError } from '../../../platform/errors.ts';
import { adsSp, reimbursements, returns, settlement } from './catalog-money.ts';
import { fbaInventory, feePreview, inventoryLedger, listings } from './catalog-stock.ts';
import type { ColumnSpec, ReportDraft, ReportType } from './columns.ts';

export type { ColumnKind, ColumnSpec, ReportType } from './columns.ts';

/** Where COPY puts rows: the parser's columns (and their positions in `values`) plus the ingest's. */
export interface CopyTarget {
  table: string;
  /** Parser columns stored in `table`, in catalog order. */
  columns: readonly string[];
  /** Their indexes in a row's `values`. */
  indexes: readonly number[];
  /** Landing columns the ingest sets itself. */
  ingestFills: readonly string[];
}

export interface ReportSpec {
  type: ReportType;
  label: string;
  /** What a parsed row's `values` hold, in order. */
  columns: readonly ColumnSpec[];
  /** Where ordinary rows land. */
  target: CopyTarget;
  /** settlement: where the summary row (flagged `summary: true`) lands. */
  summary?: CopyTarget;
  /** Header keys only this report type has: what detection scores by. */
  signature: readonly string[];
}

/**
 * The identity of a header for matching: lower case, accents and everything but letters and digits
 * gone, so `Event Type`, `event-type` and `event_type`, or `Händler-SKU` and `handler sku`, are one.
 */
export function columnKey(text: string): string {
  let plain = true;
  for (let k = 0; k < text.length && plain; k++) {
    const c = text.charCodeAt(k);
    plain = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
  }
  if (plain) return text;
  return text
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[^a-z0-9]/g, '');
}

export const REPORT_TYPES: readonly ReportType[] = [
  'listings',
  'fba_inventory',
  'returns',
  'reimbursements',
  'fee_preview',
  'inventory_ledger',
  'settlement',
  'ads_sp',
];

const DRAFTS: readonly ReportDraft[] = [
  listings,
  fbaInventory,
  returns,
  reimbursements,
  feePreview,
  inventoryLedger,
  settlement,
  adsSp,
];

function target(
  table: string,
  columns: readonly ColumnSpec[],
  keep: (c: ColumnSpec) => boolean,
  ingestFills: readonly string[],
): CopyTarget {
  const picked = columns.map((c, i) => [c, i] as const).filter(([c]) => keep(c));
  return { table, columns: picked.map(([c]) => c.name), indexes: picked.map(([, i]) => i), ingestFills };
}

function build(): Record<ReportType, ReportSpec> {
  // a header key says something about the report type only when no other type uses it
  const owners = new Map<string, Set<ReportType>>();
  for (const d of DRAFTS) {
    for (const c of d.columns) {
      for (const a of c.aliases)
        owners.set(columnKey(a), (owners.get(columnKey(a)) ?? new Set()).add(d.type));
    }
  }
  const out = {} as Record<ReportType, ReportSpec>;
  for (const d of DRAFTS) {
    const keys = d.columns.flatMap((c) => c.aliases.map(columnKey));
    const summary = d.summary;
    out[d.type] = {
      type: d.type,
      label: d.label,
      columns: d.columns,
      target: target(d.table, d.columns, (c) => !c.summaryOnly, d.ingestFills),
      ...(summary
        ? {
            summary: target(
              summary.table,
              d.columns,
              (c) => c.summaryOnly === true || summary.key.includes(c.name),
              summary.ingestFills,
            ),
          }
        : {}),
      signature: [...new Set(keys.filter((k) => owners.get(k)?.size === 1))],
    };
  }
  return out;
}

/** Every report type: its columns (as parsed) and where they land. */
export const CATALOG: Readonly<Record<ReportType, ReportSpec>> = build();

export function isReportType(t: string): t is ReportType {
  return (REPORT_TYPES as readonly string[]).includes(t);
}

const SHORT: Record<string, ReportType> = { ledger: 'inventory_ledger', ads: 'ads_sp', fees: 'fee_preview' };

/** A user's `--type`: `fba-inventory`, `FBA_INVENTORY` and `ledger` are fine; anything else is invalid. */
export function parseReportType(text: string): ReportType {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[-\s]+/g, '_');
  const type = isReportType(t) ? t : SHORT[t];
  if (!type) {
    throw new AppError('invalid', `unknown report type "${text}"; known types: ${REPORT_TYPES.join(', ')}`, {
      type: text,
      knownTypes: REPORT_TYPES,
    });
  }
  return type;
}
