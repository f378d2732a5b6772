import path from 'node:path';
import { AppError } from '../../platform/errors.ts';
import {
  HEADER_SEARCH_ROWS,
  type HeaderSearch,
  headerLooking,
  isBlankRow,
  openTable,
  quoteList,
  type RawRow,
  type Rejection,
  tableRows,
} from '../../platform/tabular/index.ts';
import { type RawRule, RULE_FIELDS, type Rule, type RuleField, validateRule } from './rules.ts';

/** Each rule field's column: its index and the header as written (for messages). */
type ColumnMap = Partial<Record<RuleField, { at: number; name: string }>>;

const key = (s: string) =>
  s
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
const ALIASES: Record<string, RuleField> = Object.fromEntries([
  ...RULE_FIELDS.map((f) => [f, f]),
  ['seller_sku', 'sku'],
  ['msku', 'sku'],
  ['min', 'min_price'],
  ['max', 'max_price'],
  ['map', 'map_price'],
]);

// a rule file is a few thousand lines; more than this is the wrong file
const MAX_ROWS = 1_000_000;

class RuleHeaderSearch implements HeaderSearch<ColumnMap> {
  private readonly seen: RawRow[] = [];
  constructor(private readonly fileName: string) {}
  get exhausted() {
    return this.seen.length >= HEADER_SEARCH_ROWS;
  }
  offer(row: RawRow): ColumnMap | null {
    if (this.exhausted || isBlankRow(row.cells)) return null;
    this.seen.push(row);
    const map: ColumnMap = {};
    row.cells.forEach((c, at) => {
      const f = ALIASES[key(c)];
      if (f && !map[f]) map[f] = { at, name: c.trim() };
    });
    return map.sku ? map : null;
  }
  error(where = ''): AppError {
    const first = this.seen[0];
    const found = first ? quoteList(headerLooking(first.cells)) : '(only blank rows)';
    return new AppError(
      'invalid',
      `${this.fileName}: ${where ? `${where}: ` : ''}no header row with a sku column in the first ` +
        `${this.seen.length} non-blank rows (columns: ${RULE_FIELDS.join(', ')}); first row: ${found}`,
      { file: this.fileName },
    );
  }
}

export interface RuleFileResult {
  file: string;
  rows: number;
  rules: Rule[];
  rejections: Rejection[];
}

/**
 * Reads a rules file (CSV/TSV/XLSX, any encoding the shared reader knows) and validates every row.
 * Every problem is reported with its line, column (as headed in the file), value and reason; a SKU
 * listed twice is a problem on its second line.
 */
export async function readRuleFile(
  file: string,
  opts: { marketplace: string; maxUncompressedBytes: number; fileName?: string },
): Promise<RuleFileResult> {
  const fileName = opts.fileName ?? path.basename(file);
  const table = await openTable(file, {
    fileName,
    maxUncompressedBytes: opts.maxUncompressedBytes,
    header: () => new RuleHeaderSearch(fileName),
  });
  const map = table.match;
  const fields = Object.entries(map) as [RuleField, { at: number; name: string }][];
  const rules: Rule[] = [];
  const rejections: Rejection[] = [];
  const seen = new Map<string, number>();
  let rows = 0;
  for await (const row of tableRows(table)) {
    if (++rows > MAX_ROWS) {
      throw new AppError('invalid', `${fileName}: more than ${MAX_ROWS} rows; not a repricer rules file`, {
        file: fileName,
      });
    }
    const raw: RawRule = {};
    const numeric: Partial<Record<RuleField, boolean>> = {};
    for (const [f, { at }] of fields) {
      raw[f] = row.cells[at] ?? '';
      numeric[f] = row.numeric?.[at] ?? false;
    }
    const { rule, problems } = validateRule(raw, { marketplace: opts.marketplace }, numeric);
    for (const p of problems) {
      rejections.push({
        line: row.line,
        column: map[p.field]?.name ?? p.field,
        value: p.value,
        reason: p.reason,
      });
    }
    if (!rule) continue;
    const k = `${rule.marketplace}:${rule.sku}`;
    const first = seen.get(k);
    if (first !== undefined) {
      rejections.push({
        line: row.line,
        column: map.sku!.name,
        value: rule.sku,
        reason: `duplicate sku (already on line ${first})`,
      });
      continue;
    }
    seen.set(k, row.line);
    rules.push(rule);
  }
  return { file: fileName, rows, rules, rejections };
}
