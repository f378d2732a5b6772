import path from 'node:path';
import { AppError } from '../../../platform/errors.ts';
import { openCsv } from './csv.ts';
import { notASpreadsheet, readHead, sniffContainer } from './detect.ts';
import type { OpenOptions, PriceList } from './types.ts';
import { normaliseCurrency } from './values.ts';
import { openXlsx } from './xlsx.ts';

export { gs1CheckDigit, normaliseBarcode } from './barcode.ts';
export { formatUnits, parseDecimal, parsePlainDecimal, toUnits } from './decimal.ts';
export { sniffDelimiter } from './delimiter.ts';
export { headerKey, isPerCaseHeader, mapHeader, scoreHeader } from './headers.ts';
export { parseMapOption } from './map-option.ts';
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

const XLSX_EXT = new Set(['.xlsx', '.xlsm']);

/**
 * Opens a price list file (path on disk): detects format, compression, encoding, delimiter and the
 * header row, and throws AppError('invalid') for file-level problems. Rows stream lazily — iterate
 * `rows` once, to the end or until you break (either closes the file); nothing is held in memory.
 */
export async function openPriceList(file: string, opts: OpenOptions): Promise<PriceList> {
  const fileName = path.basename(file);
  const currency = normaliseCurrency(opts.currency);
  if (!currency) {
    throw new AppError('invalid', `"${opts.currency}" is not a currency code (e.g. EUR, USD, GBP)`, {
      currency: opts.currency,
    });
  }
  const { head, size } = await readHead(file, 512);
  if (size === 0) throw new AppError('invalid', `${fileName} is empty (0 bytes)`, { file: fileName });
  const container = sniffContainer(head);
  if (container.kind === 'foreign') throw notASpreadsheet(fileName, container.label);
  if (container.kind === 'zip') return openXlsx(file, { ...opts, currency });
  if (XLSX_EXT.has(path.extname(file).toLowerCase())) {
    const label = container.kind === 'gzip' ? 'a gzip file' : 'a text file; rename it to .csv if it is one';
    throw notASpreadsheet(fileName, label);
  }
  return openCsv(file, { gzip: container.kind === 'gzip', currency, map: opts.map });
}
