import { randomUUID } from 'node:crypto';
import { createWriteStream, type Dirent } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors.ts';
import { validateKey, validatePrefix } from './keys.ts';
import type { ObjectInfo, ObjectStore, PutOptions } from './store.ts';

// Temp files sit next to their target so the final rename is atomic (same directory, same filesystem).
// Keys may not use this prefix, so list() can skip temp files without hiding real objects.
const TMP_PREFIX = '.awa-tmp-';

function codeOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

// ENOTDIR/EISDIR: the key names a directory, or a "directory" in it is really an object.
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
const isMissing = (err: unknown): boolean => MISSING.has(codeOf(err) ?? '');

function notFound(key: string): AppError {
  return new AppError('not_found', `object not found: ${key}`);
}

function conflict(key: string): AppError {
  // Unlike S3, a filesystem cannot hold both 'a' and 'a/b'.
  return new AppError('conflict', `object key conflicts with an existing object or prefix: ${key}`);
}

export class FsObjectStore implements ObjectStore {
  readonly kind = 'local' as const;
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private pathOf(key: string): string {
    const segments = validateKey(key).split('/');
    if (segments.some((s) => s.startsWith(TMP_PREFIX))) {
      throw new AppError(
        'invalid',
        `invalid object key ${JSON.stringify(key)}: reserved name ${TMP_PREFIX}*`,
      );
    }
    return path.join(this.root, ...segments);
  }

  async put(key: string, body: Buffer | string | Readable, _opts?: PutOptions): Promise<ObjectInfo> {
    const file = this.pathOf(key);
    const dir = path.dirname(file);
    try {
      await fs.mkdir(dir, { recursive: true });
    } catch (err) {
      if (codeOf(err) === 'EEXIST' || codeOf(err) === 'ENOTDIR') throw conflict(key);
      throw err;
    }
    const tmp = path.join(dir, `${TMP_PREFIX}${randomUUID()}`);
    try {
      // flush: fsync before the rename, so after a power cut the key holds the old or the new bytes.
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        await fs.writeFile(tmp, body, { flag: 'wx', flush: true });
      } else {
        await pipeline(body, createWriteStream(tmp, { flags: 'wx', flush: true }));
      }
      // Stat before the rename: a concurrent delete of the key must not fail a put that succeeded.
      const st = await fs.stat(tmp);
      await fs.rename(tmp, file);
      return { key, size: st.size, lastModified: st.mtime };
    } catch (err) {
      await fs.rm(tmp, { force: true }).catch(() => {});
      if (codeOf(err) === 'EISDIR' || codeOf(err) === 'ENOTEMPTY') throw conflict(key);
      throw err;
    }
  }

  async get(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    let fh: FileHandle;
    try {
      fh = await fs.open(file, 'r');
    } catch (err) {
      if (isMissing(err)) throw notFound(key);
      throw err;
    }
    try {
      // Opening a directory succeeds on Linux; it only fails on the first read.
      if (!(await fh.stat()).isFile()) throw notFound(key);
    } catch (err) {
      await fh.close();
      throw err;
    }
    return fh.createReadStream();
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    const file = this.pathOf(key);
    try {
      const st = await fs.stat(file);
      return st.isFile() ? { key, size: st.size, lastModified: st.mtime } : undefined;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    try {
      await fs.unlink(file);
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }

  async *list(prefix = ''): AsyncIterable<ObjectInfo> {
    validatePrefix(prefix);
    // Only the complete segments of the prefix name a directory; the rest filters its entries.
    const slash = prefix.lastIndexOf('/');
    const found: ObjectInfo[] = [];
    await this.walk(slash >= 0 ? prefix.slice(0, slash) : '', prefix, found);
    // S3 orders keys by their UTF-8 bytes, which is not directory-walk order ('a-b' < 'a/b').
    const sorted = found
      .map((info) => ({ info, bytes: Buffer.from(info.key, 'utf8') }))
      .sort((a, b) => Buffer.compare(a.bytes, b.bytes));
    for (const { info } of sorted) yield info;
  }

  private async walk(dirKey: string, prefix: string, out: ObjectInfo[]): Promise<void> {
    const dir = dirKey === '' ? this.root : path.join(this.root, ...dirKey.split('/'));
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(TMP_PREFIX)) continue;
      const key = dirKey === '' ? entry.name : `${dirKey}/${entry.name}`;
      if (entry.isDirectory()) {
        if (`${key}/`.startsWith(prefix)) await this.walk(key, prefix, out);
        continue;
      }
      if (!entry.isFile() || !key.startsWith(prefix) || !isValidKey(key)) continue;
      try {
        const st = await fs.stat(path.join(dir, entry.name));
        out.push({ key, size: st.size, lastModified: st.mtime });
      } catch (err) {
        // Deleted between readdir and stat: it is simply not part of this listing.
        if (!isMissing(err)) throw err;
      }
    }
  }

  async check(): Promise<'ok' | 'down'> {
    const probe = path.join(this.root, `${TMP_PREFIX}probe-${randomUUID()}`);
    try {
      await fs.mkdir(this.root, { recursive: true });
      await fs.writeFile(probe, 'ok', { flag: 'wx' });
      await fs.rm(probe, { force: true });
      return 'ok';
    } catch {
      return 'down';
    }
  }
}

// Files dropped into the directory by hand may have names no key could have; list() skips them
// rather than returning keys that get() would then reject.
function isValidKey(key: string): boolean {
  try {
    validateKey(key);
    return true;
  } catch {
    return false;
  }
}
