import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import { FsObjectStore, type ObjectStore } from '../../src/platform/storage/index.ts';
import { S3ObjectStore } from '../../src/platform/storage/s3-store.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { S3RVER_CREDS, startS3rver, type TestS3 } from '../helpers/s3.ts';

// Two API replicas share the database and the object storage, nothing else (no memory, no locks):
// uploads of one file name at the same moment, one on each, must get two keys and keep both files.

let tdb: TestDatabase;
let s3: TestS3;
const NOW = fixedClock('2026-11-28T12:00:00.000Z');

beforeAll(async () => {
  tdb = await createTestDatabase();
  s3 = await startS3rver();
});

afterAll(async () => {
  await s3?.stop();
  await tdb?.drop();
});

/**
 * Lets each replica's put start only when both have got that far: both have chosen their key before
 * either file lands, the moment a "does this key exist yet?" check cannot see the other upload.
 */
function meetBeforePut(stores: ObjectStore[]): ObjectStore[] {
  let arrived = 0;
  let release!: () => void;
  const met = new Promise<void>((r) => {
    release = r;
  });
  return stores.map((s) => ({
    kind: s.kind,
    put: async (key, body, o) => {
      arrived += 1;
      if (arrived === stores.length) release();
      await Promise.race([met, new Promise((r) => setTimeout(r, 2000))]);
      return s.put(key, body, o);
    },
    get: (key) => s.get(key),
    stat: (key) => s.stat(key),
    delete: (key) => s.delete(key),
    list: (prefix) => s.list(prefix),
    check: () => s.check(),
  }));
}

/** Two replicas over the same storage, each with the module state of its own process. */
async function replicas(stores: ObjectStore[]): Promise<TestApp[]> {
  const [a, b] = meetBeforePut(stores);
  const first = await createTestApp({ tdb, store: a, clock: NOW });
  vi.resetModules(); // a fresh copy of every module of src/: what a second process would have
  const { createTestApp: createOther } = await import('../helpers/app.ts');
  const second = await createOther({ tdb, store: b, clock: NOW });
  return [first, second];
}

function form(field: Record<string, string>, name: string, content: string) {
  const boundary = `----awa${Math.random().toString(16).slice(2)}`;
  const fields = Object.entries(field).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  const file =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
    `Content-Type: application/octet-stream\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return {
    payload: Buffer.from(fields.join('') + file),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const ROUTES: { url: string; fields: Record<string, string>; area: string }[] = [
  { url: '/api/v1/ingest', fields: { dry_run: 'true' }, area: 'raw/amazon' },
  { url: '/api/v1/price-lists', fields: { vendor: 'ACME', dry_run: 'true' }, area: 'raw/price-lists' },
];

async function uploadOnBoth(apps: TestApp[], route: (typeof ROUTES)[number]) {
  const contents = ['replica a\tfile\n1\t2\n', 'replica b\tfile\n3\t4\n'];
  const auth = await apps[0]!.bearer('ops');
  const res = await Promise.all(
    apps.map((t, i) => {
      const f = form(route.fields, 'returns.tsv', contents[i]!);
      return t.app.inject({
        method: 'POST',
        url: route.url,
        payload: f.payload,
        headers: { ...f.headers, authorization: auth },
      });
    }),
  );
  for (const r of res) expect(r.statusCode, r.body).toBe(202);
  const keys = res.map((r) => r.json().object_key as string);
  return { keys, contents };
}

describe.each([
  ['a shared local directory', 'fs'],
  ['one S3 bucket (s3rver)', 's3'],
] as const)('two API replicas over %s', (_, kind) => {
  let dir: string;
  let stores: ObjectStore[];
  let apps: TestApp[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'awa-replicas-'));
    const make = () =>
      kind === 'fs'
        ? new FsObjectStore(dir)
        : new S3ObjectStore({ ...s3, ...S3RVER_CREDS, region: 'us-east-1', forcePathStyle: true });
    stores = [make(), make()];
  });

  afterAll(async () => {
    for (const t of apps) await t.close();
    for (const s of stores) if (s instanceof S3ObjectStore) s.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(ROUTES)(
    'uploads of one name at one moment to $url get their own keys; both files survive',
    async (route) => {
      for (const t of apps) await t.close();
      apps = await replicas(stores);
      const { keys, contents } = await uploadOnBoth(apps, route);
      expect(keys[0]).not.toBe(keys[1]);
      for (const k of keys) {
        expect(k).toMatch(
          new RegExp(`^${route.area}/2026-11/20261128T120000000Z-[0-9a-f]{16}-returns\\.tsv$`),
        );
      }
      // each key holds its own upload, read back through the other replica's store as well
      for (const [i, k] of keys.entries()) {
        expect(await text(await stores[1 - i]!.get(k))).toBe(contents[i]);
      }
    },
  );
});
