import {
  DateOrderJudge,
  dateShape,
  type OrderEvidence,
  orderName,
  parseDate,
  type RawRow,
  type Rejection,
  SHAPE_AMBIGUOUS,
  SHAPE_PLAIN,
} from '../../../platform/tabular/index.ts';
import { columnKey, type ReportSpec, type ReportType } from './catalog.ts';
import { type Conventions, countryMonthFirst, marketplaceNameMonthFirst } from './locale.ts';
import { isPlaceholder } from './values.ts';

/**
 * What in an Amazon report tells the order of its `dd/dd/yyyy` dates (platform/tabular/date-order.ts
 * has the rule), read per report type: the dates themselves everywhere, and
 * - inventory ledger (GET_LEDGER_DETAIL_VIEW_DATA): `Date and Time` (`2026-05-13T00:00:00-0700`, the
 *   same day as `Date` at local midnight) restates `Date` unambiguously; `Country` is where the stock
 *   is (US/CA/MX write month first);
 * - settlement (V2 flat file): `marketplace-name` (`Amazon.com`, `Amazon.de`) on every line but the
 *   summary row.
 */
interface Sources {
  /** A header that restates the date column `of` in ISO form; read here, not landed. */
  companion?: { of: string; aliases: readonly string[] };
  /** A catalog column naming the row's country or marketplace. */
  locale?: { column: string; monthFirst: (text: string) => boolean | null };
}

const SOURCES: Partial<Record<ReportType, Sources>> = {
  inventory_ledger: {
    companion: { of: 'event_date', aliases: ['Date and Time'] },
    locale: { column: 'country', monthFirst: countryMonthFirst },
  },
  settlement: { locale: { column: 'marketplace_name', monthFirst: marketplaceNameMonthFirst } },
};

/** `2026-05-13T00:00:00-0700` (or `2026-05-13`) is the day `2026-05-13`: compared in place. */
function sameDay(companion: string, ymd: string): boolean {
  if (companion.length !== 10 && companion.charCodeAt(10) !== 84) return false;
  for (let k = 0; k < 10; k++) if (companion.charCodeAt(k) !== ymd.charCodeAt(k)) return false;
  return true;
}

const LOCALE_WHY = {
  month: "Amazon's US, CA and MX reports write dates month first",
  day: "Amazon's reports outside US, CA and MX write dates day first",
};

/**
 * The date-order evidence of one report file: fed every row by the pre-scan (`observe`, which reads
 * the dates itself) and by the RowReader (`cell` per date value through `judge`, `check` per row).
 */
export class ReportDates {
  readonly judge: DateOrderJudge;
  /** Pre-scan: an ambiguous value turned up (so stopping early would leave it to the fallback). */
  sawAmbiguous = false;
  private readonly dateAt: number[] = [];
  private readonly dateNames: string[] = [];
  private readonly localeAt: number = -1;
  private readonly localeName: string = '';
  private readonly localeOf: (text: string) => boolean | null = () => null;
  private lastLocale = '';
  private readonly companionAt: number = -1;
  private readonly companionName: string = '';
  /** The restated date column: its index in `values` and its cell. */
  private readonly restated: number = -1;
  private readonly restatedAt: number = -1;

  constructor(
    spec: ReportSpec,
    indexes: readonly number[],
    headerCells: readonly string[],
    fileName: string,
    conv: Conventions,
  ) {
    const header = headerCells.map((c) => c.trim());
    spec.columns.forEach((c, j) => {
      if ((c.kind === 'date' || c.kind === 'timestamp') && indexes[j]! >= 0) {
        this.dateAt.push(indexes[j]!);
        this.dateNames.push(header[indexes[j]!]!);
      }
    });
    const fallback: OrderEvidence = {
      rank: 4,
      monthFirst: conv.monthFirst,
      line: 0,
      column: '',
      value: '',
      why: `nothing in the file settled the order, so the marketplace ${conv.marketplace} decided`,
    };
    this.judge = new DateOrderJudge(fileName, fallback);
    const src = SOURCES[spec.type] ?? {};
    const col = (name: string) => spec.columns.findIndex((c) => c.name === name);
    if (src.locale && indexes[col(src.locale.column)]! >= 0) {
      this.localeAt = indexes[col(src.locale.column)]!;
      this.localeName = header[this.localeAt]!;
      this.localeOf = src.locale.monthFirst;
    }
    if (src.companion) {
      const j = col(src.companion.of);
      const taken = new Set(indexes);
      const keys = src.companion.aliases.map(columnKey);
      // `Date and Time` is also an alias of the date itself, for files that only have it
      const at = header.findIndex((h, k) => !taken.has(k) && keys.includes(columnKey(h)));
      if (at >= 0 && indexes[j]! >= 0) {
        this.companionAt = at;
        this.companionName = header[at]!;
        this.restated = j;
        this.restatedAt = indexes[j]!;
      }
    }
  }

  /** Whether the report has a date column at all (without one there is nothing to decide). */
  get hasDates(): boolean {
    return this.dateAt.length > 0;
  }

  /** Whether `check` has anything to do per row. */
  get checksRows(): boolean {
    return this.localeAt >= 0 || this.companionAt >= 0;
  }

  /** Pre-scan: the evidence in one row, its dates read here (the row itself is not kept). */
  observe(row: RawRow): void {
    const { cells, numeric, line } = row;
    for (let k = 0; k < this.dateAt.length; k++) {
      const at = this.dateAt[k]!;
      const text = (cells[at] ?? '').trim();
      if (text === '' || numeric?.[at] === true || isPlaceholder(text)) continue;
      if (typeof parseDate(text, this.judge.monthFirst) !== 'string') continue;
      const shape = dateShape();
      if (shape === SHAPE_AMBIGUOUS) this.sawAmbiguous = true;
      else if (shape !== SHAPE_PLAIN) this.judge.cell(shape, line, this.dateNames[k]!, text);
    }
    this.check(row, null);
  }

  /**
   * The row's country and companion columns; `values` are the row as parsed (null in the pre-scan).
   * Throws AppError when they contradict the order; a rejection when the companion names another day.
   */
  check(row: RawRow, values: readonly (string | null)[] | null): Rejection | null {
    const { cells, line } = row;
    const judge = this.judge;
    if (this.localeAt >= 0) {
      const t = cells[this.localeAt];
      // a value seen on the row before was weighed then: once it settled the order, it cannot move
      if (t !== undefined && t !== '' && t !== this.lastLocale) {
        this.lastLocale = t;
        const mf = this.localeOf(t);
        if (mf !== null && !judge.agrees(2, mf)) {
          const why = mf ? LOCALE_WHY.month : LOCALE_WHY.day;
          judge.note({ rank: 2, monthFirst: mf, line, column: this.localeName, value: t.trim(), why });
        }
      }
    }
    if (this.companionAt < 0) return null;
    const c = cells[this.companionAt];
    if (c === undefined || c === '' || row.numeric?.[this.restatedAt] === true) return null;
    const mf = judge.monthFirst;
    const stored = values ? values[this.restated] : null;
    // the common case, without trimming or parsing: `2026-05-13T00:00:00-0700` begins with the date
    // as stored; once the companion settled the order (rank 1) an agreeing row has nothing to add
    if (typeof stored === 'string' && sameDay(c, stored)) {
      if (judge.settledBy?.rank !== 1)
        this.companionAgrees((cells[this.restatedAt] ?? '').trim(), mf, line, c);
      return null;
    }
    const comp = c.trim();
    const raw = cells[this.restatedAt] ?? '';
    const text = raw.trim();
    if (comp === '' || text === '') return null;
    const v = values ? stored : parseDate(text, mf);
    if (typeof v !== 'string') return null; // the date itself is rejected (or blank)
    const day = parseDate(comp, mf);
    if (typeof day !== 'string' || dateShape() !== SHAPE_PLAIN) return null; // no use as a witness
    if (day === v) {
      if (!judge.agrees(1, mf)) this.companionAgrees(text, mf, line, comp);
      return null;
    }
    if (parseDate(text, !mf) === day) {
      judge.note(this.companionEvidence(!mf, line, text, comp, day));
      return null;
    }
    return {
      line,
      column: this.dateNames[this.dateAt.indexOf(this.restatedAt)]!,
      value: raw,
      reason: `not the day of ${this.companionName} ${comp} (${day}) on the same line`,
    };
  }

  /** The companion agrees with the current order: evidence only when the date could be read both ways. */
  private companionAgrees(text: string, monthFirst: boolean, line: number, comp: string): void {
    const v = parseDate(text, monthFirst);
    if (typeof v === 'string' && dateShape() === SHAPE_AMBIGUOUS) {
      this.judge.note(this.companionEvidence(monthFirst, line, text, comp, v));
    }
  }

  private companionEvidence(
    mf: boolean,
    line: number,
    text: string,
    comp: string,
    day: string,
  ): OrderEvidence {
    const column = this.dateNames[this.dateAt.indexOf(this.restatedAt)]!;
    const why = `${this.companionName} on the same line is ${comp} (${day}), which this value is only when read ${orderName(mf)}`;
    return { rank: 1, monthFirst: mf, line, column, value: text, why };
  }
}
