import { isUtf8 } from 'node:buffer';
import { AppError } from '../errors.ts';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Bytes judged for the encoding; later bytes are still checked while streaming. */
export const SAMPLE_BYTES = 1 << 20;

/** Bytes that Windows-1252 leaves undefined: a file holding them is neither UTF-8 nor 1252. */
const UNDEFINED_1252 = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

function countNewlines(buf: Buffer, end = buf.length): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1 && i < end; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** Length of `buf` without a multi-byte UTF-8 character cut off at its end. */
export function utf8CompleteLength(buf: Buffer): number {
  const n = buf.length;
  let p = n - 1;
  while (p >= 0 && p >= n - 3 && (buf[p]! & 0xc0) === 0x80) p--;
  if (p < 0) return n;
  const b = buf[p]!;
  const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return p + need > n ? p : n;
}

/** Offset of the first byte that breaks UTF-8 (only called once isUtf8 said no, so speed is moot). */
export function firstInvalidUtf8(buf: Buffer): number {
  for (let i = 0; i < buf.length; ) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (need === 0 || i + need >= buf.length) return i;
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    const second = buf[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return buf.length;
}

function first1252Undefined(buf: Buffer): number {
  let at = -1;
  for (const b of UNDEFINED_1252) {
    const i = buf.indexOf(b);
    if (i !== -1 && (at === -1 || i < at)) at = i;
  }
  return at;
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

function unknownEncoding(fileName: string, buf: Buffer, at: number, linesBefore: number): AppError {
  const line = linesBefore + countNewlines(buf, at) + 1;
  return new AppError(
    'invalid',
    `${fileName}: unknown text encoding — line ${line} has byte ${hex(buf[at]!)}, which is neither UTF-8 ` +
      'nor Windows-1252; save the file as UTF-8 and try again',
    { file: fileName, line, byte: hex(buf[at]!) },
  );
}

/** The start of the file was UTF-8 but a later line is not: mixed encodings, e.g. concatenated exports. */
function invalidUtf8Later(fileName: string, buf: Buffer, at: number, linesBefore: number): AppError {
  const line = linesBefore + countNewlines(buf, at) + 1;
  return new AppError(
    'invalid',
    `${fileName}: line ${line} is not valid UTF-8 (byte ${hex(buf[at]!)}) although the lines before it are; ` +
      'the file mixes text encodings — save it as UTF-8 and try again',
    { file: fileName, line, byte: hex(buf[at]!), encoding: 'utf-8' },
  );
}

export interface Detected {
  encoding: Encoding;
  bom: number;
}

/** BOM first; otherwise UTF-8 if the sample is valid UTF-8, else Windows-1252 (unless impossible). */
export function detectEncoding(sample: Buffer, complete: boolean, fileName: string): Detected {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  const nul = sample.indexOf(0);
  if (nul !== -1) {
    throw new AppError('invalid', `${fileName} is not a spreadsheet (binary data at byte ${nul})`, {
      file: fileName,
      offset: nul,
    });
  }
  const judged = complete ? sample : sample.subarray(0, utf8CompleteLength(sample));
  if (isUtf8(judged)) return { encoding: 'utf-8', bom: 0 };
  const bad = first1252Undefined(sample);
  if (bad !== -1) throw unknownEncoding(fileName, sample, bad, 0);
  return { encoding: 'windows-1252', bom: 0 };
}

export function decodeSample(sample: Buffer, d: Detected): string {
  return new TextDecoder(d.encoding, { ignoreBOM: true }).decode(sample.subarray(d.bom));
}

/**
 * Re-encodes the byte stream as UTF-8 for csv-parse, validating as it goes: a file judged UTF-8 from
 * its first MiB can still turn invalid later, and that must fail with a line number rather than
 * import mojibake.
 */
export async function* toUtf8(chunks: AsyncIterable<Buffer>, d: Detected, fileName: string) {
  let skip = d.bom;
  let lines = 0;
  let carry: Buffer | null = null;
  const decoder = d.encoding === 'utf-8' ? null : new TextDecoder(d.encoding, { ignoreBOM: true });
  for await (let chunk of chunks) {
    if (skip > 0) {
      const n = Math.min(skip, chunk.length);
      chunk = chunk.subarray(n);
      skip -= n;
    }
    if (chunk.length === 0) continue;
    if (decoder === null) {
      const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      const cut = utf8CompleteLength(buf);
      const part = buf.subarray(0, cut);
      carry = cut < buf.length ? Buffer.from(buf.subarray(cut)) : null;
      if (!isUtf8(part)) throw invalidUtf8Later(fileName, part, firstInvalidUtf8(part), lines);
      lines += countNewlines(part);
      yield part;
    } else {
      if (d.encoding === 'windows-1252') {
        const bad = first1252Undefined(chunk);
        if (bad !== -1) throw unknownEncoding(fileName, chunk, bad, lines);
        lines += countNewlines(chunk);
      }
      const text = decoder.decode(chunk, { stream: true });
      if (text.length > 0) yield Buffer.from(text, 'utf8');
    }
  }
  if (carry) throw invalidUtf8Later(fileName, carry, 0, lines);
  if (decoder) {
    const tail = decoder.decode();
    if (tail.length > 0) yield Buffer.from(tail, 'utf8');
  }
}
