import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net, { type AddressInfo, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RVER_CREDS, startS3rver } from '../../../test/helpers/s3.ts';
import {
  createObjectStore,
  FsObjectStore,
  type ObjectStore,
  sanitiseFileName,
  validateKey,
  validatePrefix,
} from './index.ts';
import { S3ObjectStore } from './s3-store.ts';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** A generated stream of `total` bytes; `hash` is complete once the stream has been consumed. */
function generated(total: number, failAfter?: number) {
  const hash = createHash('sha256');
  async function* chunks() {
    for (let sent = 0; sent < total; ) {
      if (failAfter !== undefined && sent >= failAfter) throw new Error('client went away');
      const chunk = randomBytes(Math.min(256 * 1024, total - sent));
      hash.update(chunk);
      sent += chunk.length;
      yield chunk;
    }
  }
  return { stream: Readable.from(chunks()), digest: () => hash.digest('hex') };
}

async function kindOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return (err as { kind?: string }).kind ?? 'not an AppError';
  }
}

async function keys(store: ObjectStore, prefix?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list(prefix)) out.push(o.key);
  return out;
}

type Open = () => Promise<{ store: ObjectStore; close(): Promise<void> }>;

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * `ordered: false` is for s3rver, which lists in readdir order; real S3 and MinIO return keys in
 * UTF-8 byte order, so S3ObjectStore relies on the server for order and the fake can only be held
 * to returning the right keys and sizes.
 */
function contract(name: string, open: Open, { ordered }: { ordered: boolean }): void {
  const inOrder = (ks: string[]) => (ordered ? ks : [...ks].sort(byteOrder));

  describe(`${name} store contract`, () => {
    let store: ObjectStore;
    let close = async () => {};
    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(() => close());

    it('round-trips a Buffer and a string', async () => {
      const bin = randomBytes(1000);
      expect(await store.put('rt/bin.dat', bin)).toMatchObject({ key: 'rt/bin.dat', size: 1000 });
      expect(await readAll(await store.get('rt/bin.dat'))).toEqual(bin);
      const info = await store.put('rt/text.txt', 'héllo', { contentType: 'text/plain' });
      expect(info.size).toBe(6);
      expect(info.lastModified).toBeInstanceOf(Date);
      expect((await readAll(await store.get('rt/text.txt'))).toString('utf8')).toBe('héllo');
      expect(await store.put('rt/empty', '')).toMatchObject({ size: 0 });
      expect((await readAll(await store.get('rt/empty'))).length).toBe(0);
    });

    it('streams a 20 MiB upload and download', { timeout: 60_000 }, async () => {
      const total = 20 * 1024 * 1024 + 123;
      const src = generated(total);
      expect((await store.put('big/blob.bin', src.stream)).size).toBe(total);
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of await store.get('big/blob.bin')) {
        hash.update(chunk);
        size += chunk.length;
      }
      expect(size).toBe(total);
      expect(hash.digest('hex')).toBe(src.digest());
      expect((await store.stat('big/blob.bin'))?.size).toBe(total);
    });

    it('keeps the old object when a streamed put fails midway', { timeout: 60_000 }, async () => {
      await store.put('atomic/x', 'old');
      const small = generated(1024 * 1024, 512 * 1024);
      await expect(store.put('atomic/x', small.stream)).rejects.toThrow('client went away');
      const large = generated(20 * 1024 * 1024, 10 * 1024 * 1024);
      await expect(store.put('atomic/x', large.stream)).rejects.toThrow('client went away');
      await expect(store.put('atomic/new', generated(1024 * 1024, 300 * 1024).stream)).rejects.toThrow();
      expect((await readAll(await store.get('atomic/x'))).toString()).toBe('old');
      expect(await keys(store, 'atomic/')).toEqual(['atomic/x']);
    });

    it('stats existing and missing objects', async () => {
      await store.put('st/one', 'abc');
      expect(await store.stat('st/one')).toMatchObject({ key: 'st/one', size: 3 });
      expect(await store.stat('st/missing')).toBeUndefined();
      expect(await store.stat('st')).toBeUndefined();
    });

    it('rejects get of a missing key with not_found', async () => {
      expect(await kindOf(store.get('nope/missing.txt'))).toBe('not_found');
      await store.put('nope/dir/file', 'x');
      expect(await kindOf(store.get('nope/dir'))).toBe('not_found');
    });

    it('deletes objects, and deleting a missing one is fine', async () => {
      await store.put('del/a', 'a');
      await store.delete('del/a');
      expect(await store.stat('del/a')).toBeUndefined();
      await expect(store.delete('del/a')).resolves.toBeUndefined();
      await expect(store.delete('del/never/existed')).resolves.toBeUndefined();
    });

    it('lists by prefix in key order with sizes', async () => {
      for (const k of ['ls/b.txt', 'ls/a.txt', 'ls/sub/c.txt', 'ls-x/d', 'lsz']) await store.put(k, k);
      const listed = [];
      for await (const o of store.list('ls/')) listed.push({ key: o.key, size: o.size });
      if (!ordered) listed.sort((a, b) => byteOrder(a.key, b.key));
      expect(listed).toEqual([
        { key: 'ls/a.txt', size: 8 },
        { key: 'ls/b.txt', size: 8 },
        { key: 'ls/sub/c.txt', size: 12 },
      ]);
      // Byte order, as S3 does it: '-' sorts before '/', which a directory walk would get wrong.
      expect(inOrder(await keys(store, 'ls'))).toEqual([
        'ls-x/d',
        'ls/a.txt',
        'ls/b.txt',
        'ls/sub/c.txt',
        'lsz',
      ]);
      expect(await keys(store, 'ls/s')).toEqual(['ls/sub/c.txt']);
      expect(await keys(store, 'no-such-prefix/')).toEqual([]);
      expect(await keys(store)).toContain('ls/sub/c.txt');
    });

    it('overwrites an existing object', async () => {
      await store.put('ow/k', 'first version');
      await store.put('ow/k', Buffer.from('second'));
      expect((await readAll(await store.get('ow/k'))).toString()).toBe('second');
      expect((await store.stat('ow/k'))?.size).toBe(6);
    });

    it('rejects invalid keys with invalid', async () => {
      for (const key of ['../x', '/abs', 'a//b', 'a\u0001b', 'a/../b', '']) {
        expect(await kindOf(store.put(key, 'x')), key).toBe('invalid');
        expect(await kindOf(store.get(key)), key).toBe('invalid');
        expect(await kindOf(store.stat(key)), key).toBe('invalid');
        expect(await kindOf(store.delete(key)), key).toBe('invalid');
      }
      expect(await kindOf(keys(store, '../'))).toBe('invalid');
    });

    it('reports ok from check()', async () => {
      expect(await store.check()).toBe('ok');
    });
  });
}

contract(
  'fs',
  async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'awa-fs-store-'));
    const store = new FsObjectStore(path.join(dir, 'objects'));
    return { store, close: () => fs.rm(dir, { recursive: true, force: true }) };
  },
  { ordered: true },
);

contract(
  's3',
  async () => {
    const s3 = await startS3rver();
    const store = new S3ObjectStore({ ...s3, region: 'us-east-1', forcePathStyle: true });
    return {
      store,
      close: async () => {
        store.destroy();
        await s3.stop();
      },
    };
  },
  { ordered: false },
);

const s3At = (endpoint: string, bucket = 'awa-test') =>
  new S3ObjectStore({ endpoint, region: 'us-east-1', bucket, ...S3RVER_CREDS, forcePathStyle: true });

describe('check() when the backend is unreachable', () => {
  it('s3 reports down within about 3 s when nothing listens', { timeout: 10_000 }, async () => {
    const store = s3At('http://127.0.0.1:1');
    const started = Date.now();
    expect(await store.check()).toBe('down');
    expect(Date.now() - started).toBeLessThan(3000);
    store.destroy();
  });

  it('s3 reports down within about 3 s when the server never answers', { timeout: 10_000 }, async () => {
    const sockets = new Set<Socket>();
    const server = net.createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const store = s3At(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const started = Date.now();
      expect(await store.check()).toBe('down');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      store.destroy();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fs reports down when the root is under a regular file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'awa-fs-down-'));
    try {
      await fs.writeFile(path.join(dir, 'file'), 'x');
      expect(await new FsObjectStore(path.join(dir, 'file', 'objects')).check()).toBe('down');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('s3 errors', () => {
  it('maps a missing bucket to upstream, not not_found', { timeout: 20_000 }, async () => {
    const s3 = await startS3rver();
    const store = s3At(s3.endpoint, 'no-such-bucket');
    try {
      expect(await kindOf(store.get('a/b'))).toBe('upstream');
      await expect(store.get('a/b')).rejects.toThrow(/^s3 get a\/b: /);
      expect(await kindOf(store.put('a/b', 'x'))).toBe('upstream');
      expect(await kindOf(keys(store, 'a/'))).toBe('upstream');
      expect(await store.check()).toBe('down');
    } finally {
      store.destroy();
      await s3.stop();
    }
  });
});

describe('validateKey', () => {
  it('accepts ordinary keys', () => {
    for (const key of ['a', 'imports/2024/01/file.csv', 'a.b/.hidden', 'ü/日本.txt', 'a..b']) {
      expect(validateKey(key)).toBe(key);
    }
    expect(validateKey('k'.repeat(1024))).toHaveLength(1024);
  });

  it.each([
    ['', /empty/],
    ['/abs', /start with \//],
    ['a\\b', /backslash/],
    ['..', /'\.\.' segment/],
    ['a/./b', /'\.' segment/],
    ['a//b', /empty path segment/],
    ['a/', /empty path segment/],
    ['a\u0000b', /control/],
    ['a\u007fb', /control/],
    ['a\nb', /control/],
    ['ü'.repeat(513), /1024 bytes/],
    ['a\ud800b', /unicode/],
  ])('rejects %j', (key, reason) => {
    expect(() => validateKey(key)).toThrow(reason);
    expect(() => validateKey(key)).toThrow(expect.objectContaining({ kind: 'invalid' }));
  });

  it('names the key in the message', () => {
    expect(() => validateKey('x/../y')).toThrow('"x/../y"');
  });

  it('validatePrefix allows a partial last segment only', () => {
    for (const p of ['', 'a/', 'a/b-', 'a/.']) expect(validatePrefix(p)).toBe(p);
    for (const p of ['../', 'a//', '/a', 'a\u0001'])
      expect(() => validatePrefix(p)).toThrow(/invalid object prefix/);
  });
});

describe('sanitiseFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\report.xlsx', 'report.xlsx'],
    ['a\u0007b.csv', 'ab.csv'],
    ['my file (1).csv', 'my_file_1_.csv'],
    ['résumé.pdf', 'resume.pdf'],
    ['日本語.csv', '_.csv'],
    ['...', 'file'],
    ['.env', 'env'],
    ['', 'file'],
    ['dir/', 'dir'],
    ['a..b...c', 'a.b.c'],
    ['ok-name_1.TXT', 'ok-name_1.TXT'],
  ])('%j → %j', (input, expected) => {
    expect(sanitiseFileName(input)).toBe(expected);
  });

  it('caps long names at 200 characters and keeps the extension', () => {
    const out = sanitiseFileName(`${'x'.repeat(500)}.csv`);
    expect(out).toHaveLength(200);
    expect(out.endsWith('.csv')).toBe(true);
    expect(sanitiseFileName('y'.repeat(300))).toBe('y'.repeat(200));
  });

  it('always yields a valid key segment', () => {
    for (const name of ['..', '/', '\\\\', ' ', '\u0000', '.a.', '-', 'CON']) {
      expect(() => validateKey(`uploads/${sanitiseFileName(name)}`)).not.toThrow();
    }
  });
});

describe('createObjectStore', () => {
  const base = { dataDir: '/tmp/awa-data', S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: true };

  it('builds the local store under dataDir/objects', async () => {
    const store = await createObjectStore({ ...base, STORAGE_DRIVER: 'local' });
    expect(store).toBeInstanceOf(FsObjectStore);
    expect((store as FsObjectStore).root).toBe(path.resolve('/tmp/awa-data/objects'));
  });

  it('builds the s3 store and requires a bucket', async () => {
    expect((await createObjectStore({ ...base, STORAGE_DRIVER: 's3', S3_BUCKET: 'b' })).kind).toBe('s3');
    await expect(createObjectStore({ ...base, STORAGE_DRIVER: 's3' })).rejects.toThrow(/S3_BUCKET/);
  });
});
