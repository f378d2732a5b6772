import { open } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';

export type Container =
  | { kind: 'zip' }
  | { kind: 'gzip' }
  | { kind: 'text' }
  | { kind: 'foreign'; label: string };

const FOREIGN: { magic: number[]; label: string }[] = [
  { magic: [0x25, 0x50, 0x44, 0x46], label: 'a PDF' },
  {
    magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    label: 'an old Excel .xls file; save it as .xlsx or CSV',
  },
  { magic: [0x89, 0x50, 0x4e, 0x47], label: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], label: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38], label: 'a GIF image' },
  { magic: [0x52, 0x61, 0x72, 0x21], label: 'a RAR archive' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], label: 'a 7-Zip archive' },
  { magic: [0x7b, 0x5c, 0x72, 0x74, 0x66], label: 'an RTF document' },
];

function startsWith(head: Buffer, magic: number[]): boolean {
  return head.length >= magic.length && magic.every((b, i) => head[i] === b);
}

/**
 * What the bytes are, by magic number rather than extension: people rename files freely, and a
 * `.csv` that is really gzip or a `.xlsx` that is really a PDF must be told apart before parsing.
 */
export function sniffContainer(head: Buffer): Container {
  if (head[0] === 0x1f && head[1] === 0x8b) return { kind: 'gzip' };
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5 || head[2] === 7)) {
    return { kind: 'zip' };
  }
  for (const f of FOREIGN) if (startsWith(head, f.magic)) return { kind: 'foreign', label: f.label };
  // "Excel" exports from web shops are often HTML tables with an .xls name
  const text = head
    .subarray(0, 512)
    .toString('latin1')
    .replace(/^\uFEFF|^\u00ef\u00bb\u00bf/, '');
  if (/^\s*<(!doctype html|html)/i.test(text)) return { kind: 'foreign', label: 'an HTML page' };
  return { kind: 'text' };
}

export async function readHead(
  file: string,
  bytes: number,
  fileName = path.basename(file),
): Promise<{ head: Buffer; size: number }> {
  const fh = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new AppError('invalid', `${fileName}: cannot be opened (${err.code ?? err.message})`, { file });
  });
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(Math.min(bytes, size));
    if (head.length > 0) await fh.read(head, 0, head.length, 0);
    return { head, size };
  } finally {
    await fh.close();
  }
}

export function notASpreadsheet(fileName: string, label: string, details?: object): AppError {
  return new AppError('invalid', `${fileName} is not a spreadsheet (looks like ${label})`, {
    file: fileName,
    ...details,
  });
}
