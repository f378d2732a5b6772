import { AppError } from '../../../platform/errors.ts';
import {
  HEADER_SEARCH_ROWS,
  type HeaderSearch,
  headerLooking,
  quoteList,
  type RawRow,
} from '../../../platform/tabular/index.ts';
import { CATALOG, columnKey, REPORT_TYPES, type ReportSpec, type ReportType } from './catalog.ts';

/** The report type a header row names, and which cell holds each catalog column (-1: absent). */
export interface Detection {
  type: ReportType;
  indexes: number[];
}

/** A row is a header when it has at least this many columns of one report type. */
const MIN_MATCH = 2;

interface Mapped {
  indexes: number[];
  matched: number;
  /** Columns found through a key only this type has. */
  score: number;
}

const SIGNATURES = new Map(REPORT_TYPES.map((t) => [t, new Set(CATALOG[t].signature)]));
const ALIAS_KEYS = new Map(
  REPORT_TYPES.map((t) => [t, CATALOG[t].columns.map((c) => c.aliases.map(columnKey))]),
);

/** Each column takes the cell of its earliest alias present that no column took before. */
export function mapColumns(type: ReportType, keys: readonly string[]): Mapped {
  const signature = SIGNATURES.get(type)!;
  const taken = new Set<number>();
  const indexes: number[] = [];
  let matched = 0;
  let score = 0;
  for (const aliases of ALIAS_KEYS.get(type)!) {
    let at = -1;
    for (const key of aliases) {
      const i = keys.findIndex((k, j) => k === key && !taken.has(j));
      if (i !== -1) {
        at = i;
        break;
      }
    }
    indexes.push(at);
    if (at === -1) continue;
    taken.add(at);
    matched++;
    if (aliases.some((a) => signature.has(a) && keys.includes(a))) score++;
  }
  return { indexes, matched, score };
}

const shown = (cells: string[]) =>
  quoteList(
    cells
      .map((c) => c.trim())
      .filter((c) => c !== '')
      .slice(0, 40),
  );

/**
 * Finds the header row of an Amazon report among the first rows (XLSX re-saves put titles above it)
 * and decides its type: the type with the most columns only it has wins, when it wins clearly;
 * `forced` (the user's --type) skips the contest. A recognised header lacking a required column is
 * an error at once rather than a reason to keep looking.
 */
export class ReportHeaderSearch implements HeaderSearch<Detection> {
  private readonly seen: { line: number; cells: string[] }[] = [];

  constructor(
    private readonly fileName: string,
    private readonly forced?: ReportType,
  ) {}

  get exhausted(): boolean {
    return this.seen.length >= HEADER_SEARCH_ROWS;
  }

  offer(row: RawRow): Detection | null {
    if (this.exhausted) return null;
    this.seen.push({ line: row.line, cells: headerLooking(row.cells, 40) });
    const keys = row.cells.map((c) => columnKey(c.trim()));
    if (this.forced) {
      const m = mapColumns(this.forced, keys);
      return m.matched >= MIN_MATCH ? this.accept(this.forced, m, row) : null;
    }
    const ranked = REPORT_TYPES.map((type) => ({ type, ...mapColumns(type, keys) })).sort(
      (a, b) => b.score - a.score || b.matched - a.matched,
    );
    const [best, next] = ranked as [(typeof ranked)[0], (typeof ranked)[0]];
    if (best.score < MIN_MATCH) return null;
    if (best.score === next.score && best.matched === next.matched) {
      throw new AppError(
        'invalid',
        `${this.fileName}: the header (line ${row.line}) fits both a ${best.type} and a ${next.type} report; ` +
          `name the type with --type. Headers found: ${shown(row.cells)}`,
        { file: this.fileName, headerLine: row.line, candidates: [best.type, next.type], headers: row.cells },
      );
    }
    return this.accept(best.type, best, row);
  }

  private accept(type: ReportType, m: Mapped, row: RawRow): Detection {
    const spec: ReportSpec = CATALOG[type];
    const missing = spec.columns.filter((c, j) => c.required && m.indexes[j] === -1);
    if (missing.length > 0) {
      const names = missing.map((c) => `"${c.aliases[0]}"`).join(', ');
      throw new AppError(
        'invalid',
        `${this.fileName}: this ${type} report (${spec.label}) lacks the required column${missing.length > 1 ? 's' : ''} ` +
          `${names}; headers found (line ${row.line}): ${shown(row.cells)}`,
        {
          file: this.fileName,
          type,
          headerLine: row.line,
          missing: missing.map((c) => c.aliases[0]),
          headers: row.cells,
        },
      );
    }
    return { type, indexes: m.indexes };
  }

  error(where = ''): AppError {
    const { fileName } = this;
    const at = where ? `${fileName}: ${where}` : fileName;
    if (this.seen.length === 0) {
      const scope = where ? `${where}: ` : '';
      return new AppError('invalid', `${fileName} is empty (${scope}only blank rows)`, { file: fileName });
    }
    // the widest row seen is the likeliest header
    const header = this.seen.reduce((a, b) => (b.cells.length > a.cells.length ? b : a));
    const headers = header.cells.length > 0 ? quoteList(header.cells) : '(no text cells)';
    if (this.forced) {
      const spec = CATALOG[this.forced];
      return new AppError(
        'invalid',
        `${at}: no header row of a ${this.forced} report (${spec.label}) in the first ` +
          `${this.seen.length} non-blank rows; expected columns such as ` +
          `${quoteList(spec.columns.slice(0, 6).map((c) => c.aliases[0]!))}. Headers seen (line ${header.line}): ${headers}`,
        { file: fileName, type: this.forced, headerLine: header.line, headers: header.cells },
      );
    }
    return new AppError(
      'invalid',
      `${at}: unknown report — no row among the first ${this.seen.length} non-blank rows has the ` +
        `columns of a known report type (${REPORT_TYPES.join(', ')}). Headers seen (line ${header.line}): ` +
        `${headers}. If it is one of those types, name it with --type.`,
      { file: fileName, knownTypes: REPORT_TYPES, headerLine: header.line, headers: header.cells },
    );
  }
}
