import path from 'node:path';
import { AppError } from '../../../platform/errors.ts';
import { openTable } from '../../../platform/tabular/index.ts';
import { HeaderScanner } from './header-row.ts';
import { columnNames, validatorForHeader } from './row.ts';
import type { OpenOptions, PriceList, PriceListHeader, RowResult } from './types.ts';
import { normaliseCurrency } from './values.ts';

export { formatUnits, toUnits } from '../../../platform/money.ts';
export { parseDecimal, parsePlainDecimal, sniffDelimiter } from '../../../platform/tabular/index.ts';
export { gs1CheckDigit, normaliseBarcode } from './barcode.ts';
export { headerKey, isPerCaseHeader, mapHeader, scoreHeader } from './headers.ts';
export { parseMapOption } from './map-option.ts';
export type { RowCheck } from './row.ts';
export { ROW_RULES_VERSION } from './row-fingerprint.ts';
export type {
  Field,
  OpenOptions,
  PriceList,
  PriceListHeader,
  PriceRow,
  Rejection,
  RowResult,
} from './types.ts';
export {
  normaliseAsin,
  normaliseCurrency,
  normaliseSku,
  normaliseTitle,
  parseCost,
  parseCount,
} from './values.ts';

/**
 * Opens a price list file (path on disk): detects format, compression, encoding, delimiter and the
 * header row, and throws AppError('invalid') for file-level problems. Rows stream lazily — iterate
 * `rows` or `batches` once, to the end or until you break (either closes the file); nothing is held
 * in memory.
 */
export async function openPriceList(file: string, opts: OpenOptions): Promise<PriceList> {
  const fileName = path.basename(file);
  const currency = normaliseCurrency(opts.currency);
  if (!currency) {
    throw new AppError('invalid', `"${opts.currency}" is not a currency code (e.g. EUR, USD, GBP)`, {
      currency: opts.currency,
    });
  }
  const table = await openTable(file, {
    fileName,
    sheet: opts.sheet,
    maxUncompressedBytes: opts.maxUncompressedBytes,
    header: () => new HeaderScanner(opts.map, fileName),
  });
  const { headerRow, match } = table;
  const { perCase, check } = validatorForHeader(headerRow, match.columns, currency);

  async function* batches(): AsyncGenerator<RowResult[]> {
    for await (const batch of table.batches) {
      const out: RowResult[] = [];
      for (const row of batch) {
        const result = check.validate(row);
        if (result) out.push(result);
      }
      yield out;
    }
  }
  async function* rows(): AsyncGenerator<RowResult> {
    for await (const batch of batches()) yield* batch;
  }
  const header: PriceListHeader = {
    format: table.format,
    ...(table.encoding ? { encoding: table.encoding } : {}),
    ...(table.delimiter ? { delimiter: table.delimiter } : {}),
    compressed: table.compressed,
    ...(table.sheet !== undefined ? { sheet: table.sheet } : {}),
    headerLine: headerRow.line,
    columns: columnNames(headerRow, match.columns),
    perCase,
  };
  // all read the same reader, lazily: the one iterated first takes the rows
  return { header, rows: rows(), batches: batches(), raw: table.batches, check };
}
