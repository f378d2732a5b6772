import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { AppError, isAppError } from '../../../platform/errors.ts';
import { notASpreadsheet } from './detect.ts';
import { HeaderScanner, isBlankRow } from './header-row.ts';
import { columnNames, validatorForHeader } from './row.ts';
import type { Field, PriceList, RawRow, RowResult } from './types.ts';
import { rawRow } from './xlsx-cells.ts';
import { checkUncompressedBudget, readZipDirectory, readZipEntry } from './zip-guard.ts';

const MAX_WORKBOOK_XML = 8 << 20;

function xmlUnescape(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[lower]!;
  });
}

/** Sheet names in workbook order, from xl/workbook.xml (read directly so a bad --sheet fails fast). */
export function sheetNames(workbookXml: string): string[] {
  const names: string[] = [];
  for (const m of workbookXml.matchAll(/<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"/g))
    names.push(xmlUnescape(m[1]!));
  return names;
}

type SheetEvent = { sheet: string; row: RawRow | null };

/** Rows of every sheet in file order; `row: null` marks a sheet's end. Other sheets are drained. */
async function* sheetEvents(reader: ExcelJS.stream.xlsx.WorkbookReader, only?: string) {
  for await (const ws of reader) {
    const meta = ws as unknown as { name?: string; id: number };
    const sheet = meta.name ?? `Sheet${meta.id}`;
    if (only !== undefined && sheet !== only) {
      // the zip is one stream: an unwanted sheet still has to be read past
      for await (const _ of ws) void _;
      continue;
    }
    for await (const row of ws) yield { sheet, row: rawRow(row.number, row.values) } satisfies SheetEvent;
    yield { sheet, row: null } satisfies SheetEvent;
  }
}

export async function openXlsx(
  file: string,
  opts: { currency: string; sheet?: string; map?: Record<string, Field>; maxUncompressedBytes: number },
): Promise<PriceList> {
  const fileName = path.basename(file);
  const entries = await readZipDirectory(file, fileName);
  checkUncompressedBudget(entries, opts.maxUncompressedBytes, fileName, (await stat(file)).size);
  const wb = entries.find((e) => e.name === 'xl/workbook.xml');
  if (!wb) throw notASpreadsheet(fileName, 'a zip archive, not an Excel workbook');
  if (wb.uncompressedSize > MAX_WORKBOOK_XML) throw notASpreadsheet(fileName, 'a damaged workbook');
  const names = sheetNames((await readZipEntry(file, wb, fileName)).toString('utf8'));
  let only: string | undefined;
  if (opts.sheet !== undefined) {
    only =
      names.find((n) => n === opts.sheet) ??
      names.find((n) => n.trim().toLowerCase() === opts.sheet?.trim().toLowerCase());
    if (only === undefined) {
      throw new AppError(
        'invalid',
        `${fileName} has no sheet "${opts.sheet}"; its sheets are ${names.map((n) => `"${n}"`).join(', ')}`,
        { file: fileName, sheet: opts.sheet, sheets: names },
      );
    }
  }

  const input = createReadStream(file);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  const it = sheetEvents(reader, only);
  const next = async () => {
    try {
      return await it.next();
    } catch (err) {
      if (isAppError(err)) throw err;
      throw new AppError('invalid', `${fileName}: cannot read the workbook (${(err as Error).message})`, {
        file: fileName,
      });
    }
  };
  // not awaited: unwinding exceljs's generators must never block the caller that stopped reading
  const close = () => {
    input.destroy();
    it.return(undefined).catch(() => {});
  };

  try {
    const failures: AppError[] = [];
    let scanner = new HeaderScanner(opts.map);
    let found: { sheet: string; row: RawRow; columns: Partial<Record<Field, number>> } | null = null;
    for (let r = await next(); !r.done; r = await next()) {
      const { sheet, row } = r.value;
      if (row === null) {
        failures.push(scanner.error(fileName, `sheet "${sheet}"`));
        scanner = new HeaderScanner(opts.map);
        continue;
      }
      const mapping = scanner.offer(row, fileName);
      if (mapping) {
        found = { sheet, row, columns: mapping.columns };
        break;
      }
    }
    if (!found) {
      if (failures.length === 0) {
        throw new AppError('invalid', `${fileName} has no readable worksheet`, {
          file: fileName,
          sheets: names,
        });
      }
      if (failures.length === 1) throw failures[0]!;
      throw new AppError(
        'invalid',
        `${fileName}: no sheet has a header row. ${failures.map((f) => f.message.replace(`${fileName}: `, '')).join(' | ')}`,
        { file: fileName, sheets: failures.map((f) => f.details) },
      );
    }
    const { sheet, row: headerRow, columns } = found;
    const { perCase, validate } = validatorForHeader(headerRow, columns, opts.currency);

    async function* rows(): AsyncGenerator<RowResult> {
      try {
        for (let r = await next(); !r.done && r.value.sheet === sheet && r.value.row; r = await next()) {
          if (isBlankRow(r.value.row.cells)) continue;
          const result = validate(r.value.row);
          if (result) yield result;
        }
      } finally {
        close();
      }
    }
    return {
      header: {
        format: 'xlsx',
        compressed: false,
        sheet,
        headerLine: headerRow.line,
        columns: columnNames(headerRow, columns),
        perCase,
      },
      rows: rows(),
    };
  } catch (err) {
    close();
    throw err;
  }
}
