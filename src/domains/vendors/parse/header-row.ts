import { AppError } from '../../../platform/errors.ts';
import {
  HEADER_SEARCH_ROWS,
  type HeaderSearch,
  headerLooking,
  isBlankRow,
  type RawRow,
} from '../../../platform/tabular/index.ts';
import { type HeaderMapping, mapHeader } from './headers.ts';
import type { Field } from './types.ts';

interface Seen {
  line: number;
  cells: string[];
  missing: string[];
}

/**
 * A price list's header row: the first row (within the first 20 non-blank ones) that maps an
 * identifier and a cost column (SPEC §3).
 */
export class HeaderScanner implements HeaderSearch<HeaderMapping> {
  private readonly seen: Seen[] = [];

  constructor(
    private readonly map: Record<string, Field> | undefined,
    private readonly fileName: string,
  ) {}

  get exhausted(): boolean {
    return this.seen.length >= HEADER_SEARCH_ROWS;
  }

  /** The mapping when `row` is the header; null to keep looking. Blank rows don't count. */
  offer(row: RawRow): HeaderMapping | null {
    const { fileName } = this;
    if (this.exhausted || isBlankRow(row.cells)) return null;
    const mapping = mapHeader(row.cells, this.map);
    this.seen.push({ line: row.line, cells: headerLooking(row.cells), missing: mapping.missing });
    if (mapping.missing.length > 0) return null;
    if (mapping.unmatchedMapKeys.length > 0) {
      const names = mapping.unmatchedMapKeys.map((k) => `"${k}"`).join(', ');
      const found = row.cells.filter((c) => c.trim() !== '').map((c) => `"${c.trim()}"`);
      // a field problem (field `map`): the CLI shows it as --map, the API as the map field
      throw new AppError(
        'invalid',
        `map names ${names}, not in the header row of ${fileName} (line ${row.line}: ${found.join(', ')})`,
        {
          field: 'map',
          value: mapping.unmatchedMapKeys,
          rule: 'in_header',
          file: fileName,
          headerLine: row.line,
          unmatched: mapping.unmatchedMapKeys,
          headers: row.cells,
        },
      );
    }
    return mapping;
  }

  /** The "no header row" error, listing what the rows looked like and what each lacked. */
  error(where = ''): AppError {
    const { fileName } = this;
    const scope = `${where ? `${where}: ` : ''}`;
    if (this.seen.length === 0) {
      return new AppError('invalid', `${fileName} is empty (${scope}only blank rows)`, { file: fileName });
    }
    const shown = this.seen.slice(0, 6).map((s) => {
      const cells = s.cells.length > 0 ? s.cells.map((c) => `"${c}"`).join(', ') : '(no text cells)';
      return `line ${s.line}: ${cells} — missing ${s.missing.join(' and ')}`;
    });
    const more = this.seen.length > shown.length ? `; … ${this.seen.length - shown.length} more` : '';
    return new AppError(
      'invalid',
      `${fileName}: ${scope}no header row in the first ${this.seen.length} non-blank rows — one row must ` +
        `name an identifier (sku, asin or barcode) and a cost column. Rows seen: ${shown.join('; ')}${more}`,
      { file: fileName, sheet: where || undefined, rows: this.seen },
    );
  }
}
