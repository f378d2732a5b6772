import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type ExcelJS from 'exceljs';
import { AppError, isAppError } from '../errors.ts';
import { notASpreadsheet } from './container.ts';
import { isBlankRow } from './header-row.ts';
import type { HeaderSearch, RawRow, Table } from './types.ts';
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

interface SheetModel {
  name: string;
  id: number;
  rId: string;
  state: string;
}

/** The `<sheet>` entries of xl/workbook.xml (name, sheetId, relationship id, visibility). */
function sheetModels(workbookXml: string): SheetModel[] {
  const attr = (tag: string, name: string) => new RegExp(`\\s(?:\\w+:)?${name}="([^"]*)"`).exec(tag)?.[1];
  return [...workbookXml.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)].flatMap(([tag]) => {
    const name = attr(tag, 'name');
    if (name === undefined) return [];
    return [
      {
        name: xmlUnescape(name),
        id: Number(attr(tag, 'sheetId') ?? 0),
        rId: attr(tag, 'id') ?? '',
        state: attr(tag, 'state') ?? 'visible',
      },
    ];
  });
}

/** Sheet names in workbook order, from xl/workbook.xml (read directly so a bad --sheet fails fast). */
export function sheetNames(workbookXml: string): string[] {
  return sheetModels(workbookXml).map((s) => s.name);
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

/** The sheet `wanted` names: exactly, else ignoring case and surrounding spaces. */
function pickSheet(names: string[], wanted: string, fileName: string): string {
  const only =
    names.find((n) => n === wanted) ??
    names.find((n) => n.trim().toLowerCase() === wanted.trim().toLowerCase());
  if (only === undefined) {
    throw new AppError(
      'invalid',
      `${fileName} has no sheet "${wanted}"; its sheets are ${names.map((n) => `"${n}"`).join(', ')}`,
      { file: fileName, sheet: wanted, sheets: names },
    );
  }
  return only;
}

/** No sheet had a header: one sheet's reason as is, several summed up in one message. */
function noHeader(fileName: string, names: string[], failures: AppError[]): AppError {
  if (failures.length === 0) {
    return new AppError('invalid', `${fileName} has no readable worksheet`, {
      file: fileName,
      sheets: names,
    });
  }
  if (failures.length === 1) return failures[0]!;
  return new AppError(
    'invalid',
    `${fileName}: no sheet has a header row. ${failures.map((f) => f.message.replace(`${fileName}: `, '')).join(' | ')}`,
    { file: fileName, sheets: failures.map((f) => f.details) },
  );
}

/**
 * Streamed XLSX: the zip directory is checked against the size budget before exceljs sees the file,
 * then sheets are read in order until one has a header row (or only `sheet`).
 */
export async function openXlsxTable<M>(
  file: string,
  opts: { fileName: string; sheet?: string; maxUncompressedBytes: number; header: () => HeaderSearch<M> },
): Promise<Table<M>> {
  const { fileName } = opts;
  const entries = await readZipDirectory(file, fileName);
  checkUncompressedBudget(entries, opts.maxUncompressedBytes, fileName, (await stat(file)).size);
  const wb = entries.find((e) => e.name === 'xl/workbook.xml');
  if (!wb) throw notASpreadsheet(fileName, 'a zip archive, not an Excel workbook');
  if (wb.uncompressedSize > MAX_WORKBOOK_XML) throw notASpreadsheet(fileName, 'a damaged workbook');
  const models = sheetModels((await readZipEntry(file, wb, fileName)).toString('utf8'));
  const names = models.map((m) => m.name);
  const only = opts.sheet === undefined ? undefined : pickSheet(names, opts.sheet, fileName);

  const input = createReadStream(file);
  // loaded on first use: exceljs costs ~27 MB of memory in every process that merely imports it
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  // exceljs names a sheet from xl/workbook.xml, which it only reads when the stream reaches it; a
  // writer that stores that entry after the sheets (exceljs itself, now and then) made it fail with
  // "cannot read properties of undefined". What we already read from the directory fills the gap.
  (reader as unknown as { model?: { sheets: SheetModel[] } }).model ??= { sheets: models };
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
  const close = async () => {
    input.destroy();
    it.return(undefined).catch(() => {});
  };

  try {
    const failures: AppError[] = [];
    let search = opts.header();
    let found: { sheet: string; row: RawRow; match: M } | null = null;
    for (let r = await next(); !r.done; r = await next()) {
      const { sheet, row } = r.value;
      if (row === null) {
        failures.push(search.error(`sheet "${sheet}"`));
        search = opts.header();
        continue;
      }
      if (search.exhausted || isBlankRow(row.cells)) continue;
      const match = search.offer(row);
      if (match !== null) {
        found = { sheet, row, match };
        break;
      }
    }
    if (!found) throw noHeader(fileName, names, failures);
    const { sheet } = found;

    // one row per batch: exceljs hands rows out one promise at a time anyway
    async function* batches(): AsyncGenerator<RawRow[]> {
      try {
        for (let r = await next(); !r.done && r.value.sheet === sheet && r.value.row; r = await next()) {
          if (!isBlankRow(r.value.row.cells)) yield [r.value.row];
        }
      } finally {
        await close();
      }
    }
    return {
      format: 'xlsx',
      compressed: false,
      sheet,
      headerRow: found.row,
      match: found.match,
      batches: batches(),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
