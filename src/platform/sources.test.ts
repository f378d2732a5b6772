import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/helpers/http.ts';
import { startS3rver, type TestS3 } from '../../test/helpers/s3.ts';
import { createHttpClient } from './http/client.ts';
import { fetchToLocal, type SourceDeps } from './sources.ts';
import { createObjectStore, FsObjectStore, type StorageConfig } from './storage/index.ts';

let dir: string;
let s3: TestS3;
let web: TestServer;
let deps: SourceDeps;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'awa-sources-'));
  s3 = await startS3rver('reports-bucket');
  const storage: StorageConfig = {
    STORAGE_DRIVER: 'local',
    dataDir: dir,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: true,
  };
  const remote = await createObjectStore({ ...storage, STORAGE_DRIVER: 's3', S3_BUCKET: s3.bucket });
  await remote.put('amazon/2026-11/returns report.tsv', 'order-id\tsku\n1\tA\n');
  web = await startServer((req, res) => {
    if (req.url === '/files/ledger.tsv') return res.end('Date\tMSKU\n2026-11-01\tA\n');
    if (req.url === '/boom') {
      res.statusCode = 500;
      return res.end('down');
    }
    if (req.url === '/stall') {
      res.write('Date\tMSKU\n'); // then nothing more: the idle timeout must end it
      return;
    }
    res.statusCode = 404;
    res.end('no such file');
  });
  deps = {
    store: new FsObjectStore(path.join(dir, 'objects')),
    storage,
    http: createHttpClient({
      api: 'download',
      timeoutMs: 2_000,
      idleTimeoutMs: 300,
      retries: 1,
      baseDelayMs: 10,
    }),
  };
});

afterAll(async () => {
  await web.close();
  await s3.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('fetchToLocal', () => {
  it('uses a local path or file:// URI in place', async () => {
    const file = path.join(dir, 'local.tsv');
    writeFileSync(file, 'x');
    expect(await fetchToLocal(file, dir, deps)).toMatchObject({ file, name: 'local.tsv' });
    expect((await fetchToLocal(pathToFileURL(file).href, dir, deps)).file).toBe(file);
    await expect(fetchToLocal(path.join(dir, 'nope.tsv'), dir, deps)).rejects.toThrow(
      /nope\.tsv: no such file/,
    );
    await expect(fetchToLocal(dir, dir, deps)).rejects.toThrow(/is not a file/);
  });

  it('downloads s3:// objects through the S3 settings, also from a bucket other than the store’s', async () => {
    const out = mkdtempSync(path.join(dir, 'dl-'));
    const got = await fetchToLocal('s3://reports-bucket/amazon/2026-11/returns%20report.tsv', out, deps);
    expect(got.name).toBe('returns_report.tsv'); // sanitised for the local file system
    expect(readFileSync(got.file, 'utf8')).toBe('order-id\tsku\n1\tA\n');
    await expect(fetchToLocal('s3://reports-bucket/amazon/missing.tsv', out, deps)).rejects.toMatchObject({
      kind: 'not_found',
      message: 's3://reports-bucket/amazon/missing.tsv does not exist',
    });
    await expect(fetchToLocal('s3://just-a-bucket', out, deps)).rejects.toThrow(/s3:\/\/bucket\/path/);
  });

  it('downloads http(s) URLs; 404 is not found, 500 and stalls fail clearly', async () => {
    const out = mkdtempSync(path.join(dir, 'dl-'));
    const got = await fetchToLocal(`${web.url}/files/ledger.tsv`, out, deps);
    expect(readFileSync(got.file, 'utf8')).toBe('Date\tMSKU\n2026-11-01\tA\n');
    await expect(fetchToLocal(`${web.url}/missing.tsv`, out, deps)).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(fetchToLocal(`${web.url}/boom`, out, deps)).rejects.toThrow(
      /failed after 2 attempts: HTTP 500/,
    );
    await expect(fetchToLocal(`${web.url}/stall`, out, deps)).rejects.toThrow(/stall/i);
  });

  it('refuses other schemes', async () => {
    await expect(fetchToLocal('ftp://example.com/x.tsv', dir, deps)).rejects.toThrow(
      /unsupported scheme ftp/,
    );
  });
});
