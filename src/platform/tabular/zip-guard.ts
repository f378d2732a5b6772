import { open } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { AppError } from '../errors.ts';
import { notASpreadsheet } from './container.ts';

/**
 * Reads a zip's central directory ourselves, before exceljs sees the file: an XLSX is a zip, and a
 * few KB of deflate can declare gigabytes. Summing the declared sizes lets us refuse up front.
 */

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_U32 = 0xffffffff;
const MAX_DIRECTORY = 64 << 20;

const u64 = (b: Buffer, at: number) => Number(b.readBigUInt64LE(at));

async function readAt(fh: Awaited<ReturnType<typeof open>>, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.alloc(len);
  const { bytesRead } = await fh.read(buf, 0, len, pos);
  return buf.subarray(0, bytesRead);
}

function damaged(fileName: string, why: string): AppError {
  return notASpreadsheet(fileName, `a damaged zip archive: ${why}`);
}

/** The ZIP64 extra field carries the real value of each central-directory field saturated at 0xFFFFFFFF. */
function applyZip64(extra: Buffer, e: ZipEntry): void {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const size = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      const end = q + size;
      if (e.uncompressedSize === MAX_U32 && q + 8 <= end) {
        e.uncompressedSize = u64(extra, q);
        q += 8;
      }
      if (e.compressedSize === MAX_U32 && q + 8 <= end) {
        e.compressedSize = u64(extra, q);
        q += 8;
      }
      if (e.localOffset === MAX_U32 && q + 8 <= end) e.localOffset = u64(extra, q);
      return;
    }
    p += 4 + size;
  }
}

export async function readZipDirectory(file: string, fileName: string): Promise<ZipEntry[]> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = await readAt(fh, size - tailLen, tailLen);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    }
    if (at === -1) throw damaged(fileName, 'no central directory');
    let count = tail.readUInt16LE(at + 10);
    let dirSize = tail.readUInt32LE(at + 12);
    let dirOffset = tail.readUInt32LE(at + 16);
    if (count === 0xffff || dirSize === MAX_U32 || dirOffset === MAX_U32) {
      const locPos = size - tailLen + at - 20;
      const loc = locPos >= 0 ? await readAt(fh, locPos, 20) : Buffer.alloc(0);
      if (loc.length < 20 || loc.readUInt32LE(0) !== ZIP64_LOCATOR)
        throw damaged(fileName, 'bad ZIP64 locator');
      const rec = await readAt(fh, u64(loc, 8), 56);
      if (rec.length < 56 || rec.readUInt32LE(0) !== ZIP64_EOCD) throw damaged(fileName, 'bad ZIP64 record');
      count = u64(rec, 32);
      dirSize = u64(rec, 40);
      dirOffset = u64(rec, 48);
    }
    if (dirSize > MAX_DIRECTORY || dirOffset + dirSize > size)
      throw damaged(fileName, 'bad central directory');
    const dir = await readAt(fh, dirOffset, dirSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let n = 0; n < count; n++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL)
        throw damaged(fileName, 'bad directory entry');
      const nameLen = dir.readUInt16LE(p + 28);
      const extraLen = dir.readUInt16LE(p + 30);
      const commentLen = dir.readUInt16LE(p + 32);
      const e: ZipEntry = {
        name: dir.toString('utf8', p + 46, p + 46 + nameLen),
        method: dir.readUInt16LE(p + 10),
        compressedSize: dir.readUInt32LE(p + 20),
        uncompressedSize: dir.readUInt32LE(p + 24),
        localOffset: dir.readUInt32LE(p + 42),
      };
      applyZip64(dir.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen), e);
      entries.push(e);
      p += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

const mb = (n: number) => `${(n / (1 << 20)).toFixed(1)} MiB`;

/** Refuses archives whose entries would unpack to more than `max` bytes in total. */
export function checkUncompressedBudget(
  entries: ZipEntry[],
  max: number,
  fileName: string,
  size: number,
): void {
  const total = entries.reduce((s, e) => s + e.uncompressedSize, 0);
  if (total > max) {
    throw new AppError(
      'invalid',
      `${fileName}: refusing to open — its ${entries.length} entries unpack to ${total} bytes (${mb(total)}) ` +
        `from ${size} bytes on disk, over the limit of ${max} bytes (${mb(max)})`,
      { file: fileName, uncompressedBytes: total, limitBytes: max, fileBytes: size },
    );
  }
}

/** One (small) entry's bytes, e.g. xl/workbook.xml for the sheet names. */
export async function readZipEntry(file: string, e: ZipEntry, fileName: string): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const local = await readAt(fh, e.localOffset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw damaged(fileName, `bad entry ${e.name}`);
    const start = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    const data = await readAt(fh, start, e.compressedSize);
    if (e.method === 0) return data;
    if (e.method !== 8) throw damaged(fileName, `unsupported compression in ${e.name}`);
    try {
      return inflateRawSync(data, { maxOutputLength: Math.max(e.uncompressedSize, 1) });
    } catch (err) {
      throw damaged(fileName, `${e.name}: ${(err as Error).message}`);
    }
  } finally {
    await fh.close();
  }
}
