import { AppError } from '../../platform/errors.ts';
import {
  HEADER_SEARCH_ROWS,
  type HeaderSearch,
  headerLooking,
  quoteList,
  type RawRow,
} from '../../platform/tabular/index.ts';

/** The fields of a rate card row (SPEC §5), in the order messages list them. */
export const FIELDS = [
  'carrier',
  'origin',
  'dest',
  'service',
  'eur_per_kg',
  'effective_from',
  'effective_to',
] as const;
export type Field = (typeof FIELDS)[number];

/** Validity columns may be absent: a missing start is open (1900-01-01), a missing end is open. */
export const REQUIRED: readonly Field[] = ['carrier', 'origin', 'dest', 'service', 'eur_per_kg'];

/** Header names per field, as SPEC §5 lists them (plus `dest_code`, the twin of `origin_code`). */
const ALIASES: Record<Field, string[]> = {
  carrier: ['carrier', 'carrier_name'],
  origin: ['origin', 'from', 'origin_code'],
  dest: ['dest', 'to', 'destination', 'dest_code', 'destination_code'],
  service: ['service', 'service_level', 'mode'],
  eur_per_kg: ['eur_per_kg', 'rate', 'price_per_kg'],
  effective_from: ['effective_from', 'valid_from', 'start_date'],
  effective_to: ['effective_to', 'valid_to', 'end_date'],
};

/** `Valid From`, `valid-from`, `VALID_FROM` and `validfrom` are one header. */
export function headerKey(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

const BY_KEY = new Map<string, Field>();
for (const f of FIELDS) for (const a of ALIASES[f]) BY_KEY.set(headerKey(a), f);

export function fieldOf(name: string): Field | undefined {
  return BY_KEY.get(headerKey(name));
}

/** How each field was written in the file (for messages) and where it is (cell index or JSON key). */
export type ColumnMap<P> = Partial<Record<Field, { name: string; at: P }>>;

/** Maps header names to fields; the first column of a field wins, as in every other import. */
export function mapNames<P>(names: Iterable<[string, P]>): ColumnMap<P> {
  const out: ColumnMap<P> = {};
  for (const [name, at] of names) {
    const f = fieldOf(name);
    if (f && !out[f]) out[f] = { name: name.trim(), at };
  }
  return out;
}

const described = (f: Field) => `${f} (${ALIASES[f].filter((a) => a !== f).join(', ')})`;

/** Throws the "lacks columns" error when a required field has no column. */
export function requireColumns(
  map: ColumnMap<unknown>,
  found: readonly string[],
  where: string,
  fileName: string,
): void {
  const missing = REQUIRED.filter((f) => !map[f]);
  if (missing.length === 0) return;
  throw new AppError(
    'invalid',
    `${fileName}: ${where} lacks the column${missing.length > 1 ? 's' : ''} ${missing.map(described).join(', ')}; ` +
      `headers found: ${found.length > 0 ? quoteList(found) : '(none)'}`,
    { file: fileName, missing, headers: found },
  );
}

/** A row naming at least this many fields is the header (titles above it name none). */
const MIN_FIELDS = 2;

/** Finds the header row of a CSV/XLSX rate card among the first rows. */
export class RateHeaderSearch implements HeaderSearch<ColumnMap<number>> {
  private readonly seen: { line: number; cells: string[] }[] = [];

  constructor(private readonly fileName: string) {}

  get exhausted(): boolean {
    return this.seen.length >= HEADER_SEARCH_ROWS;
  }

  offer(row: RawRow): ColumnMap<number> | null {
    if (this.exhausted) return null;
    this.seen.push({ line: row.line, cells: headerLooking(row.cells, 40) });
    const map = mapNames<number>(row.cells.map((c, i) => [c, i]));
    if (Object.keys(map).length < MIN_FIELDS) return null;
    // a recognisable header without a required column fails at once: looking further finds nothing better
    const found = row.cells.map((c) => c.trim()).filter((c) => c !== '');
    requireColumns(map, found, `the header (line ${row.line})`, this.fileName);
    return map;
  }

  error(where = ''): AppError {
    const at = where ? `${this.fileName}: ${where}` : this.fileName;
    if (this.seen.length === 0)
      return new AppError('invalid', `${at}: only blank rows`, { file: this.fileName });
    const widest = this.seen.reduce((a, b) => (b.cells.length > a.cells.length ? b : a));
    return new AppError(
      'invalid',
      `${at}: no header row in the first ${this.seen.length} non-blank rows; a rate card needs the columns ` +
        `${REQUIRED.map(described).join(', ')}. Headers found (line ${widest.line}): ` +
        `${widest.cells.length > 0 ? quoteList(widest.cells) : '(no text cells)'}`,
      { file: this.fileName, headerLine: widest.line, headers: widest.cells },
    );
  }
}
