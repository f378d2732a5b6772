import {
  DateOrderJudge,
  dateShape,
  parseDate,
  type Rejection,
  SHAPE_AMBIGUOUS,
  SHAPE_PLAIN,
} from '../../platform/tabular/index.ts';
import type { Card } from './card.ts';
import { FIELDS, type Field, REQUIRED } from './columns.ts';
import {
  type Cell,
  type DateOrder,
  type Parsed,
  parseCardDate,
  parseCountry,
  parseName,
  parseRate,
} from './values.ts';

export type { Rejection };

/** A valid rate, ready for logistics_rates. */
export interface RateRow {
  line: number;
  carrier: string;
  origin: string;
  dest: string;
  service: string;
  /** `YYYY-MM-DD`; 1900-01-01 when the card gives no start (SPEC §2: open start). */
  effective_from: string;
  /** Inclusive last day; null = open-ended. */
  effective_to: string | null;
  /** Plain decimal, at most 4 places. */
  eur_per_kg: string;
}

export interface Validated {
  rows: RateRow[];
  /** Rows left out; a row may have several rejections (one per bad cell). */
  skipped: number;
  rejections: Rejection[];
  dateOrder: DateOrder;
}

export const OPEN_START = '1900-01-01';
const OPEN_END = '9999-12-31';

export const laneOf = (r: Pick<RateRow, 'carrier' | 'origin' | 'dest' | 'service'>) =>
  `${r.carrier}:${r.origin}:${r.dest}:${r.service}`;

const span = (from: string, to: string | null) => `${from}…${to ?? 'open'}`;

interface Interval {
  from: string;
  to: string;
  line: number;
  shown: string;
}

/**
 * The accepted validity intervals of one lane, kept sorted by start. They never overlap each other,
 * so a new interval overlaps one of them iff it overlaps its neighbour on either side.
 */
class LaneIntervals {
  private readonly list: Interval[] = [];

  /** The interval `iv` collides with, or null after adding it. */
  add(iv: Interval): Interval | null {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.list[mid]!.from <= iv.from) lo = mid + 1;
      else hi = mid;
    }
    const before = this.list[lo - 1];
    if (before && before.to >= iv.from) return before;
    const after = this.list[lo];
    if (after && after.from <= iv.to) return after;
    this.list.splice(lo, 0, iv);
    return null;
  }
}

/**
 * Applies the row rules to a card read by readRateCard: every field checked (all bad cells of a row
 * reported, not just the first), open validity filled in, and overlapping validity of one lane
 * reported on the later row. ROI would take the latest start anyway, but an overlap in the input is
 * a data problem the user has to see and fix at the carrier's end.
 */
export function validateCard(card: Card, fileName: string): Validated {
  const order = settleDateOrder(card, fileName);
  const dateOrder: DateOrder = order.settledBy ? (order.monthFirst ? 'month_first' : 'day_first') : 'unknown';
  const rows: RateRow[] = [];
  const rejections: Rejection[] = [];
  const lanes = new Map<string, LaneIntervals>();
  let skipped = 0;

  for (const rec of card.records) {
    const column = (f: Field) => rec.names?.[f] ?? card.columns[f] ?? f;
    if (rec.problem) {
      rejections.push({ line: rec.line, column: '', value: '', reason: rec.problem });
      skipped++;
      continue;
    }
    const value: Partial<Record<Field, string | null>> = {};
    const before = rejections.length;
    for (const f of FIELDS) {
      const cell: Cell = rec.cells[f] ?? { text: '', numeric: false };
      const blank = cell.text.trim() === '';
      if (blank) {
        if (REQUIRED.includes(f)) {
          rejections.push({ line: rec.line, column: column(f), value: '', reason: 'missing value' });
        }
        value[f] = f === 'effective_from' ? OPEN_START : null;
        continue;
      }
      const p = parseField(f, cell, order);
      if (p.ok) value[f] = p.value;
      else rejections.push({ line: rec.line, column: column(f), value: cell.text, reason: p.reason });
    }
    if (rejections.length === before) {
      const row = { line: rec.line, ...value } as RateRow;
      const problem = rangeProblem(row, lanes, column);
      if (problem) rejections.push({ line: rec.line, ...problem });
      else rows.push(row);
    }
    if (rejections.length > before) skipped++;
  }
  return { rows, skipped, rejections, dateOrder };

  function rangeProblem(
    row: RateRow,
    byLane: Map<string, LaneIntervals>,
    column: (f: Field) => string,
  ): Omit<Rejection, 'line'> | null {
    const { effective_from: from, effective_to: to } = row;
    if (to !== null && to < from) {
      return { column: column('effective_to'), value: to, reason: `before effective_from (${from})` };
    }
    const lane = laneOf(row);
    const intervals = byLane.get(lane) ?? new LaneIntervals();
    byLane.set(lane, intervals);
    const clash = intervals.add({ from, to: to ?? OPEN_END, line: row.line, shown: span(from, to) });
    if (!clash) return null;
    return {
      column: column('effective_from'),
      value: span(from, to),
      reason: `validity overlaps line ${clash.line} (${clash.shown}) of the same lane ${lane}`,
    };
  }
}

/**
 * The card's day/month order from all of its dates (the card is in memory, so no value is read
 * before the order is known); a card whose dates prove both orders throws AppError('invalid') naming
 * the two values.
 */
function settleDateOrder(card: Card, fileName: string): DateOrderJudge {
  const judge = new DateOrderJudge(fileName, null);
  for (const rec of card.records) {
    for (const f of ['effective_from', 'effective_to'] as const) {
      const c = rec.cells[f];
      const text = c && !c.numeric ? c.text.trim() : '';
      if (text === '' || typeof parseDate(text, false) !== 'string') continue;
      const shape = dateShape();
      if (shape !== SHAPE_PLAIN && shape !== SHAPE_AMBIGUOUS) {
        judge.cell(shape, rec.line, rec.names?.[f] ?? card.columns[f] ?? f, c!.text);
      }
    }
  }
  judge.reading = true;
  return judge;
}

function parseField(f: Field, cell: Cell, order: DateOrderJudge): Parsed<string> {
  switch (f) {
    case 'carrier':
    case 'service':
      return parseName(cell.text);
    case 'origin':
    case 'dest':
      return parseCountry(cell.text);
    case 'eur_per_kg':
      return parseRate(cell);
    case 'effective_from':
    case 'effective_to':
      return parseCardDate(cell, order);
  }
}
