import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JOBS } from '../../src/jobs/registry.ts';
import type { HttpClientOptions } from '../../src/platform/http/client.ts';
import { JobQueue } from '../../src/platform/jobs/index.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { Metrics } from '../../src/platform/metrics.ts';
import { createObjectStore } from '../../src/platform/storage/index.ts';
import { fixture } from '../fixtures/reports/files.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { startServer, type TestServer } from '../helpers/http.ts';
import { startS3rver, type TestS3 } from '../helpers/s3.ts';

// POST /ingest {uri} against real remote sources (s3rver, a local HTTP server) and broken files, as
// the report_ingest job meets them in a worker.
//
// The download client's own timeouts (60 s to the first byte and between chunks) are cut to a few
// seconds so that a stalled download fails in test time; its retries and backoff are left as they are.
vi.mock('../../src/platform/http/client.ts', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../../src/platform/http/client.ts')>();
  return {
    ...mod,
    createHttpClient: (o: HttpClientOptions) =>
      mod.createHttpClient(o.api === 'download' ? { ...o, timeoutMs: 5_000, idleTimeoutMs: 1_500 } : o),
  };
});

/** A job as GET /jobs/{id} shows it (the fields these tests read). */
interface Job {
  id: string;
  name: string;
  status: string;
  stage: string;
  data: Record<string, unknown>;
  result?: { load_id: number | null; rejections?: unknown[]; [k: string]: unknown };
  error?: string;
  retry_count: number;
  runs: { status: string; error?: string | null; counts: Record<string, unknown> }[];
}

let t: TestApp;
let worker: JobQueue;
let s3: TestS3;
let web: TestServer;
let ops: string;
let viewer: string;
const hits = new Map<string, number>();

const BUCKET = 'amazon-drop';
const LEDGER = readFileSync(fixture('ledger.tsv'), 'utf8');
const LISTINGS = readFileSync(fixture('listings.txt'), 'utf8');

function form(file: { name: string; content: string | Buffer }) {
  const boundary = `----awa${Math.random().toString(16).slice(2)}`;
  return {
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      Buffer.from(file.content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(name: string, content: string | Buffer): Promise<string> {
  const f = form({ name, content });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    payload: f.payload,
    headers: { ...f.headers, authorization: ops },
  });
  expect(res.statusCode, res.body).toBe(202);
  return res.json().job_id;
}

async function ingestUri(uri: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    payload: { uri, ...extra },
    headers: { authorization: ops },
  });
  expect(res.statusCode, res.body).toBe(202);
  return res.json().job_id;
}

async function getJob(id: string): Promise<Job> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/jobs/${id}`,
    headers: { authorization: viewer },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/**
 * Polls until the job has finished. pg-boss waits 10 s and more before a retry: with `fastForward`
 * a job waiting for its retry is made due at once (only the waiting is skipped; the retry is real).
 */
async function finished(id: string, o: { fastForward?: boolean; onRetry?: (j: Job) => void } = {}) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const j = await getJob(id);
    if (['success', 'skipped', 'failed'].includes(j.status)) return j;
    if (j.status === 'retrying') {
      o.onRetry?.(j);
      if (o.fastForward) {
        await t.tdb.db.pool.query(
          `UPDATE pgboss.job SET start_after = now() WHERE id = $1 AND state = 'retry'`,
          [id],
        );
      }
    }
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish: ${JSON.stringify(j)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function count(sql: string): Promise<number> {
  return (await t.tdb.db.pool.query(sql)).rows[0].n;
}
const loads = () => count(`SELECT count(*)::int AS n FROM load_log`);

beforeAll(async () => {
  s3 = await startS3rver(BUCKET);
  const remote = await createObjectStore({
    STORAGE_DRIVER: 's3',
    dataDir: '/nonexistent',
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: 'us-east-1',
    S3_BUCKET: BUCKET,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: true,
  });
  await remote.put('inbox/2026-11/ledger.tsv', LEDGER);
  web = await startServer((req, res) => {
    const url = req.url ?? '';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    if (url === '/files/listings.txt') return res.end(LISTINGS);
    if (url === '/boom.tsv') {
      res.statusCode = 500;
      return res.end('internal server error');
    }
    if (url === '/stall.tsv') {
      res.write(`${LISTINGS.split('\n')[0]}\n`); // then nothing more
      return;
    }
    res.statusCode = 404;
    res.end('no such file');
  });
  // the app's own storage is local; S3_* serve s3:// URIs of any bucket
  t = await createTestApp({
    env: {
      UPLOAD_MAX_BYTES: String(4 << 20),
      AWA_MARKETPLACE: 'US',
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    },
  });
  worker = await JobQueue.open(t.tdb.url, JOBS, { worker: true, scheduler: false, log: silentLogger });
  await worker.work(t.deps, new Metrics());
  ops = await t.bearer('ops');
  viewer = await t.bearer('viewer');
}, 120_000);

afterAll(async () => {
  await worker?.stop(5000);
  await t?.close();
  await web?.close();
  await s3?.stop();
});

describe('POST /ingest {uri}', () => {
  it('s3://bucket/key: downloads through the S3 settings and ingests', async () => {
    const uri = `s3://${BUCKET}/inbox/2026-11/ledger.tsv`;
    const done = await finished(await ingestUri(uri));
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'success', stage: 'done' });
    expect(done.result).toMatchObject({ type: 'inventory_ledger', file: 'ledger.tsv', rows: 5, inserted: 5 });
    expect(await count(`SELECT count(*)::int AS n FROM inventory_ledger_raw`)).toBe(5);
    const l = await t.app.inject({
      method: 'GET',
      url: '/api/v1/reports/loads?type=inventory_ledger',
      headers: { authorization: viewer },
    });
    expect(l.json().items).toEqual([expect.objectContaining({ origin: uri, file: 'ledger.tsv', rows: 5 })]);
  });

  it('an s3:// key that does not exist fails at once with not found', async () => {
    const uri = `s3://${BUCKET}/inbox/2026-11/missing.tsv`;
    const done = await finished(await ingestUri(uri));
    expect(done).toMatchObject({ status: 'failed', stage: 'failed', retry_count: 0 });
    expect(done.error).toBe(`${uri} does not exist`);
    expect(done.runs).toHaveLength(1);
  });

  it('http://: downloads and ingests', async () => {
    const done = await finished(await ingestUri(`${web.url}/files/listings.txt`));
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'success' });
    expect(done.result).toMatchObject({ type: 'listings', file: 'listings.txt', rows: 3, inserted: 3 });
    expect(await count(`SELECT count(*)::int AS n FROM listings`)).toBe(3);
  });

  it('a URL that answers 404 fails at once, naming the URL and the status', async () => {
    const before = await loads();
    const done = await finished(await ingestUri(`${web.url}/reports/gone.tsv`));
    expect(done).toMatchObject({ status: 'failed', retry_count: 0 });
    expect(done.error).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/reports\/gone\.tsv failed: HTTP 404/);
    expect(hits.get('/reports/gone.tsv')).toBe(1);
    expect(await loads()).toBe(before);
  });

  it('a URL that answers 500 is retried by the HTTP client, then the job fails with a clear message', async () => {
    const before = await loads();
    const id = await ingestUri(`${web.url}/boom.tsv`);
    let firstAttemptHits: number | undefined;
    const done = await finished(id, {
      fastForward: true,
      onRetry: () => {
        firstAttemptHits ??= hits.get('/boom.tsv');
      },
    });
    // each attempt of the job: the first request and 3 retries
    expect(firstAttemptHits).toBe(4);
    expect(done).toMatchObject({ status: 'failed', stage: 'failed', retry_count: 3 });
    expect(done.error).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/boom\.tsv failed after 4 attempts: HTTP 500/);
    expect(done.runs).toHaveLength(4);
    for (const r of done.runs) expect(r).toMatchObject({ status: 'failed', error: done.error });
    expect(hits.get('/boom.tsv')).toBe(16);
    expect(await loads()).toBe(before);
  }, 150_000);

  it('a download that stalls times out with a clear error', async () => {
    const before = await loads();
    const done = await finished(await ingestUri(`${web.url}/stall.tsv`), { fastForward: true });
    expect(done).toMatchObject({ status: 'failed', stage: 'failed' });
    expect(done.error).toMatch(
      /GET http:\/\/127\.0\.0\.1:\d+\/stall\.tsv failed: download stalled: no data for 1500 ms/,
    );
    expect(await loads()).toBe(before);
  }, 150_000);
});

describe('broken uploads', () => {
  it('a truncated .gz fails without retries naming the file, and writes nothing', async () => {
    // big enough that the header is read and thousands of rows are staged before the gzip ends
    const lines = [readFileSync(fixture('returns.tsv'), 'utf8').split('\n')[0]!];
    for (let i = 0; i < 50_000; i++) {
      lines.push(
        `2026-09-01T10:15:32+00:00\t113-${String(i).padStart(7, '0')}-7777777\tSKU-${i % 50}\tB07XYZ1234\tX001\tThing\t1\tPHX7\tSELLABLE\tDEFECTIVE\tok\tLPN${i}\t`,
      );
    }
    const gz = gzipSync(`${lines.join('\n')}\n`);
    const before = await loads();
    const done = await finished(await upload('returns-2026-09.tsv.gz', gz.subarray(0, gz.length >> 1)));
    expect(done).toMatchObject({ status: 'failed', stage: 'failed', retry_count: 0 });
    expect(done.error).toMatch(/returns-2026-09\.tsv\.gz is a corrupt or truncated gzip file/);
    expect(await count(`SELECT count(*)::int AS n FROM returns_raw WHERE order_id LIKE '%-7777777'`)).toBe(0);
    expect(await loads()).toBe(before);
    // the whole file ingests
    const whole = await finished(await upload('returns-2026-09-full.tsv.gz', gz));
    expect(whole.result).toMatchObject({ status: 'success', rows: 50_000, inserted: 50_000 });
  }, 120_000);

  it('an empty file fails without retries: the file is empty', async () => {
    const before = await loads();
    const done = await finished(await upload('empty.tsv', ''));
    expect(done).toMatchObject({ status: 'failed', retry_count: 0 });
    expect(done.error).toMatch(/empty\.tsv is empty/);
    expect(await loads()).toBe(before);
  });

  it('an unknown report fails without retries, listing the known types', async () => {
    const done = await finished(await upload('orders.csv', 'order,total\n1,2\n'));
    expect(done).toMatchObject({ status: 'failed', retry_count: 0 });
    expect(done.error).toMatch(/orders\.csv: unknown report/);
    expect(done.error).toMatch(/returns, reimbursements, .*ads_sp/);
  });
});
