/** Reading tables (CSV/TSV/gzip/XLSX) from disk, shared by every file import. */
export { normaliseCurrency } from './currency.ts';
export { DateOrderJudge, type OrderEvidence, onlyValidWhy, orderName } from './date-order.ts';
export {
  type DateShape,
  SHAPE_AMBIGUOUS,
  SHAPE_DAY_FIRST,
  SHAPE_MONTH_FIRST,
  SHAPE_PLAIN,
} from './date-shape.ts';
export { type DateResult, dateShape, excelSerial, parseDate, parseTimestamp } from './dates.ts';
export { numberBounds, parseDecimal, parsePlainDecimal } from './decimal.ts';
export type { Encoding } from './decode.ts';
export { type Delimiter, sniffDelimiter } from './delimiter.ts';
export { HEADER_SEARCH_ROWS, headerLooking, isBlankRaw, isBlankRow, quoteList } from './header-row.ts';
export { LineRow } from './line-row.ts';
export { noteRejected, REPORT_LIMIT, type RejectionReport } from './rejections.ts';
export { openTable, tableRows } from './table.ts';
export type { HeaderSearch, RawRow, Rejection, Table, TableFormat, TableOptions } from './types.ts';
export { sheetNames } from './xlsx.ts';
export { cellText, numberText } from './xlsx-cells.ts';
export { ZONE_TABLE, zoneReadings } from './zones.ts';
