import { open, readFile, stat } from 'node:fs/promises';
import { AppError } from '../../platform/errors.ts';
import { numberText, openTable, tableRows } from '../../platform/tabular/index.ts';
import {
  type ColumnMap,
  type Field,
  fieldOf,
  mapNames,
  RateHeaderSearch,
  requireColumns,
} from './columns.ts';
import type { Cell } from './values.ts';

/** One data row of a card: its line (JSON: the item's 1-based position) and the cells of known fields. */
export interface CardRecord {
  line: number;
  cells: Partial<Record<Field, Cell>>;
  /** JSON: the keys this item used, when they differ from `Card.columns` (items may name fields differently). */
  names?: Partial<Record<Field, string>>;
  /** Set when the row cannot be read at all (a JSON item that is not an object). */
  problem?: string;
}

export interface Card {
  format: 'csv' | 'xlsx' | 'json';
  /** Each field's column (JSON: key) as written in the file, for messages. */
  columns: Partial<Record<Field, string>>;
  records: CardRecord[];
}

export interface ReadOptions {
  fileName: string;
  maxUncompressedBytes: number;
}

// The whole card is held in memory (date order and overlaps are judged over all rows); a lane list
// this long is not a rate card.
export const MAX_ROWS = 500_000;
const MAX_JSON_BYTES = 64 * 1024 * 1024;

const tooMany = (fileName: string) =>
  new AppError('invalid', `${fileName}: more than ${MAX_ROWS} rows; this is not a freight rate card`, {
    file: fileName,
  });

/** JSON when the first character after a BOM and whitespace opens an array or object. */
async function looksLikeJson(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(256);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    return head.startsWith('[') || head.startsWith('{');
  } finally {
    await fh.close();
  }
}

function jsonCell(v: unknown): Cell {
  if (v === null || v === undefined) return { text: '', numeric: false };
  if (typeof v === 'number') return { text: numberText(v), numeric: true };
  if (typeof v === 'string') return { text: v, numeric: false };
  return { text: JSON.stringify(v), numeric: false };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `[{…}, …]` or `{"rates": [{…}, …]}`, keys named like CSV headers. */
async function readJsonCard(file: string, fileName: string): Promise<Card> {
  if ((await stat(file)).size > MAX_JSON_BYTES) {
    throw new AppError('invalid', `${fileName}: a JSON rate card above ${MAX_JSON_BYTES >> 20} MiB`, {
      file: fileName,
    });
  }
  let doc: unknown;
  try {
    doc = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new AppError('invalid', `${fileName}: not valid JSON (${(err as Error).message})`, {
      file: fileName,
    });
  }
  const items = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.rates) ? doc.rates : null;
  if (!items) {
    throw new AppError('invalid', `${fileName}: a JSON rate card is an array of rates or {"rates": [...]}`, {
      file: fileName,
    });
  }
  if (items.length > MAX_ROWS) throw tooMany(fileName);
  const keys = new Set<string>();
  for (const it of items) if (isObject(it)) for (const k of Object.keys(it)) keys.add(k);
  const map = mapNames<string>([...keys].map((k) => [k, k]));
  requireColumns(map, [...keys], 'the JSON rate card', fileName);
  const columns = namesOf(map);
  const records = items.map((it, k): CardRecord => {
    if (!isObject(it)) return { line: k + 1, cells: {}, problem: 'not an object' };
    const cells: CardRecord['cells'] = {};
    const names: CardRecord['names'] = {};
    // per item: one item may say "rate" where another says "price_per_kg"
    for (const [key, v] of Object.entries(it)) {
      const f = fieldOf(key);
      if (!f || cells[f]) continue;
      cells[f] = jsonCell(v);
      if (key.trim() !== columns[f]) names[f] = key.trim();
    }
    return { line: k + 1, cells, ...(Object.keys(names).length > 0 ? { names } : {}) };
  });
  return { format: 'json', columns, records };
}

function namesOf(map: ColumnMap<unknown>): Card['columns'] {
  const out: Card['columns'] = {};
  for (const [f, c] of Object.entries(map) as [Field, { name: string }][]) out[f] = c.name;
  return out;
}

/**
 * Reads a rate card (path on disk): JSON, or any table the shared reader opens (CSV/TSV in any
 * supported encoding, gzipped, XLSX), the header found below any title rows. File-level problems —
 * unreadable, no header, a required column missing — throw AppError('invalid') naming the file.
 */
export async function readRateCard(file: string, opts: ReadOptions): Promise<Card> {
  const { fileName } = opts;
  if (await looksLikeJson(file)) return readJsonCard(file, fileName);
  const table = await openTable(file, {
    fileName,
    maxUncompressedBytes: opts.maxUncompressedBytes,
    header: () => new RateHeaderSearch(fileName),
  });
  const map = table.match;
  const fields = Object.entries(map) as [Field, { at: number }][];
  const records: CardRecord[] = [];
  for await (const row of tableRows(table)) {
    // throwing out of the loop closes the file
    if (records.length >= MAX_ROWS) throw tooMany(fileName);
    const cells: CardRecord['cells'] = {};
    for (const [f, { at }] of fields) {
      cells[f] = { text: row.cells[at] ?? '', numeric: row.numeric?.[at] ?? false };
    }
    records.push({ line: row.line, cells });
  }
  return { format: table.format, columns: namesOf(map), records };
}
