import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/errors.ts';
import type { Rejection } from '../../platform/tabular/index.ts';
import { readRuleFile } from './rules.file.ts';
import * as repo from './rules.repo.ts';
import { type RawRule, type Rule, validateRule } from './rules.ts';

export interface RulesQuery {
  sku?: string;
  enabled?: boolean;
  page: number;
  page_size: number;
}

export async function listRules(db: Db, marketplace: string, q: RulesQuery) {
  const { total, items } = await repo.listRules(db.pool, {
    marketplace,
    skuPrefix: q.sku,
    enabled: q.enabled,
    limit: q.page_size,
    offset: (q.page - 1) * q.page_size,
  });
  return { total, page: q.page, page_size: q.page_size, items };
}

/** Every rule matching the filter, in the page's order (the CSV download; rules number in thousands). */
export async function allRules(db: Db, marketplace: string, q: { sku?: string; enabled?: boolean }) {
  return repo.allRules(db.pool, { marketplace, skuPrefix: q.sku, enabled: q.enabled });
}

export interface SaveResult {
  dry_run: boolean;
  rules: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

interface ItemProblem {
  index: number;
  sku: string;
  field: string;
  value: string;
  reason: string;
}

/**
 * PUT /repricer/rules: validates every rule first; one bad rule (min > max, unknown strategy, a SKU
 * twice) refuses the whole request with every problem listed, and nothing is saved.
 */
export async function putRules(
  db: Db,
  input: { rules: RawRule[]; dry_run?: boolean; by: string; marketplace: string },
): Promise<SaveResult> {
  const problems: ItemProblem[] = [];
  const rules: Rule[] = [];
  const seen = new Map<string, number>();
  input.rules.forEach((raw, index) => {
    const { rule, problems: p } = validateRule(raw, { marketplace: input.marketplace });
    const sku = String(raw.sku ?? '');
    for (const x of p) problems.push({ index, sku, ...x });
    if (!rule) return;
    const k = `${rule.marketplace}:${rule.sku}`;
    if (seen.has(k)) {
      problems.push({ index, sku, field: 'sku', value: sku, reason: `duplicate of rules[${seen.get(k)}]` });
    } else {
      seen.set(k, index);
      rules.push(rule);
    }
  });
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new AppError(
      'invalid',
      `invalid repricer rule${problems.length > 1 ? 's' : ''}: rules[${first.index}] (sku ${first.sku || '?'}) ` +
        `${first.field} ${first.reason.startsWith(first.field) ? first.reason.slice(first.field.length + 1) : first.reason}` +
        `${problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''}; nothing was saved`,
      { problems },
    );
  }
  const dryRun = input.dry_run ?? false;
  const counts = await saveRules(db, rules, input.by, dryRun);
  return { dry_run: dryRun, rules: rules.length, ...counts };
}

export interface ImportResult extends SaveResult {
  file: string;
  rows: number;
}

/** `awa repricer rules import FILE`: all rows valid → all saved; any problem → none, every problem listed. */
export async function importRules(
  db: Db,
  input: {
    file: string;
    /** The name the user knows the file by (an upload's), for messages; default the path's. */
    fileName?: string;
    dryRun: boolean;
    by: string;
    marketplace: string;
    maxUncompressedBytes: number;
  },
): Promise<ImportResult> {
  const r = await readRuleFile(input.file, {
    marketplace: input.marketplace,
    maxUncompressedBytes: input.maxUncompressedBytes,
    fileName: input.fileName,
  });
  if (r.rejections.length > 0) throw rejected(r.file, r.rows, r.rejections);
  if (r.rules.length === 0)
    throw new AppError('invalid', `${r.file}: no rules below the header`, { file: r.file });
  const counts = await saveRules(db, r.rules, input.by, input.dryRun);
  return { file: r.file, rows: r.rows, dry_run: input.dryRun, rules: r.rules.length, ...counts };
}

function rejected(file: string, rows: number, rejections: Rejection[]): AppError {
  const lines = rejections
    .slice(0, 50)
    .map(
      (p) => `  ${file}: line ${p.line}, column ${p.column}, value ${JSON.stringify(p.value)}: ${p.reason}`,
    );
  const more = rejections.length > 50 ? `\n  … ${rejections.length - 50} more` : '';
  return new AppError(
    'invalid',
    `${file}: ${rejections.length} problem${rejections.length > 1 ? 's' : ''} in ${rows} rows; nothing was imported\n` +
      `${lines.join('\n')}${more}`,
    { file, rows, rejections },
  );
}

/** Dry run: the counts only. Otherwise the counts and the write share one transaction. */
function saveRules(db: Db, rules: Rule[], by: string, dryRun: boolean) {
  if (dryRun) return repo.diffRules(db.pool, rules);
  return withTransaction(db, (c) => repo.upsertRules(c, rules, by));
}
