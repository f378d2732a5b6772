import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../src/jobs/registry.ts';
import { JobQueue } from '../../src/platform/jobs/index.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { Metrics } from '../../src/platform/metrics.ts';
import { fixture } from '../fixtures/reports/files.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

// The web app's report flow: POST /reports/detect (the type before ingest, the upload kept), then
// POST /ingest {object_key} without sending the file again, and the history as CSV.
let t: TestApp;
let worker: JobQueue | undefined;
let ops: string;
let viewer: string;
const OPS_NAME = `ops-detect-${process.pid}`;
const FEES = readFileSync(fixture('fee-preview-na.txt'), 'utf8');

function form(fields: Record<string, string>, file?: { name: string; content: string }) {
  const boundary = `----awa${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  if (file) {
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
        `Content-Type: application/octet-stream\r\n\r\n${file.content}\r\n`,
    );
  }
  parts.push(`--${boundary}--\r\n`);
  return {
    payload: Buffer.from(parts.join('')),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const detectUpload = (name: string, content: string, fields: Record<string, string> = {}, auth = ops) => {
  const f = form(fields, { name, content });
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/reports/detect',
    payload: f.payload,
    headers: { ...f.headers, authorization: auth },
  });
};
const post = (url: string, payload: object, auth = ops) =>
  t.app.inject({ method: 'POST', url, payload, headers: { authorization: auth } });
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: viewer } });
const q = async (sql: string) => (await t.tdb.db.pool.query(sql)).rows;

async function finished(id: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const j = (await get(`/api/v1/jobs/${id}`)).json();
    if (['success', 'skipped', 'failed'].includes(j.status)) return j;
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish: ${JSON.stringify(j)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  t = await createTestApp({ env: { AWA_MARKETPLACE: 'US' } });
  ops = await t.bearer('ops', OPS_NAME);
  viewer = await t.bearer('viewer');
});
afterAll(async () => {
  await worker?.stop(5000);
  await t?.close();
});

describe('POST /reports/detect', () => {
  it('names the type from the header, keeps the upload, and ingests nothing', async () => {
    const res = await detectUpload('fees.txt', FEES);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({
      type: 'fee_preview',
      label: expect.any(String),
      problem: null,
      file_name: 'fees.txt',
      size: Buffer.byteLength(FEES),
      marketplace: 'US',
      format: 'csv',
      delimiter: '\t',
      header_line: 1,
    });
    expect(d.columns).toMatchObject({ sku: 'sku', asin: 'asin' });
    expect(d.known_types.map((k: { type: string }) => k.type)).toContain('settlement');
    expect(d.object_key).toMatch(/^raw\/amazon\/\d{4}-\d{2}\/.+-fees\.txt$/);
    expect(await t.deps.store.stat(d.object_key)).toMatchObject({ size: Buffer.byteLength(FEES) });
    expect(await q(`SELECT 1 FROM load_log`)).toEqual([]);
    expect(await q(`SELECT 1 FROM pgboss.job WHERE name = 'report_ingest'`)).toEqual([]);
  });

  it('an unknown header is an answer with the reason; a chosen type that does not fit says why', async () => {
    const res = await detectUpload('notes.csv', 'colour,size\nred,4\n');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ type: null, label: null, object_key: expect.any(String) });
    expect(res.json().problem).toMatch(/fee_preview/);
    const again = await post('/api/v1/reports/detect', {
      object_key: res.json().object_key,
      type: 'settlement',
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ type: null, file_name: 'notes.csv' });
    expect(again.json().problem).toMatch(/settlement|column/i);
  });

  it('refuses bad input with a 400 naming it, and viewers with a 403', async () => {
    const local = await post('/api/v1/reports/detect', { uri: 'file:///etc/passwd' });
    expect(local.statusCode).toBe(400);
    expect(local.json().error).toMatchObject({ details: { field: 'uri', value: 'file:///etc/passwd' } });
    const outside = await post('/api/v1/reports/detect', { object_key: 'raw/vendors/2026-01/x.csv' });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.details).toMatchObject({ field: 'object_key' });
    const missing = await post('/api/v1/reports/detect', { object_key: 'raw/amazon/2026-01/gone.txt' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toMatch(/not stored/);
    const neither = await post('/api/v1/reports/detect', {});
    expect(neither.statusCode).toBe(400);
    const extra = await post('/api/v1/reports/detect', { uri: 'https://x.test/a.txt', colour: 'red' });
    expect(extra.statusCode).toBe(400);
    const badType = await detectUpload('fees.txt', FEES, { type: 'nope' });
    expect(badType.statusCode).toBe(400);
    expect(badType.json().error.message).toMatch(/known types: .*fee_preview/);
    expect((await detectUpload('fees.txt', FEES, {}, viewer)).statusCode).toBe(403);
  });
});

describe('POST /ingest {object_key} after a detect', () => {
  it('dry run, then for real, without sending the file again; the load is in the history and its CSV', async () => {
    const d = (await detectUpload('fees-week.txt', FEES)).json();
    worker = await JobQueue.open(t.tdb.url, JOBS, { worker: true, scheduler: false, log: silentLogger });
    await worker.work(t.deps, new Metrics());

    const dry = await post('/api/v1/ingest', { object_key: d.object_key, type: d.type, dry_run: true });
    expect(dry.statusCode, dry.body).toBe(202);
    expect(dry.json()).toMatchObject({ object_key: d.object_key, dry_run: true });
    const dryJob = await finished(dry.json().job_id);
    expect(dryJob).toMatchObject({ status: 'success', data: { file_name: 'fees-week.txt' } });
    expect(dryJob.result).toMatchObject({ type: 'fee_preview', dry_run: true, file: 'fees-week.txt' });
    expect(await q(`SELECT 1 FROM fee_preview_raw`)).toEqual([]);

    const real = await post('/api/v1/ingest', { object_key: d.object_key, dry_run: false });
    const realJob = await finished(real.json().job_id);
    expect(realJob.result).toMatchObject({ status: 'success', dry_run: false, rejected: 0 });
    const rows = (await q(`SELECT count(*)::int AS n FROM fee_preview_raw`))[0]!.n;
    expect(rows).toBeGreaterThan(0);

    const loads = (await get('/api/v1/reports/loads?type=fee_preview')).json();
    expect(loads).toMatchObject({ total: 1, items: [{ file: 'fees-week.txt', status: 'success', rows }] });
    const csv = await get('/api/v1/reports/loads.csv?type=fee_preview');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="awa-report-loads-.*\.csv"/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'id,type,marketplace,file,origin,status,rows,inserted,rejected,actor,source,started_at,finished_at,duration_ms',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,fee_preview,US,fees-week.txt,${d.object_key},success,${rows},`);
    expect(lines[1]).toContain(OPS_NAME);
    expect((await get('/api/v1/reports/loads.csv?type=nope')).statusCode).toBe(400);
    expect((await get('/api/v1/reports/loads.csv?status=failed')).body.trim().split('\r\n')).toHaveLength(1);

    await expect
      .poll(
        async () =>
          (await q(`SELECT details FROM audit_log WHERE event = 'report_ingest' ORDER BY id`)).map(
            (r) => (r as { details: { dry_run: boolean } }).details.dry_run,
          ),
        { timeout: 5000 },
      )
      .toEqual([true, false]);
  });

  it('refuses an object_key outside the report uploads, or with a uri', async () => {
    const r = await post('/api/v1/ingest', { object_key: '../../etc/passwd' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details).toMatchObject({ field: 'object_key' });
    const both = await post('/api/v1/ingest', {
      object_key: 'raw/amazon/2026-01/x.txt',
      uri: 'https://x.test/a.txt',
    });
    expect(both.statusCode).toBe(400);
  });
});
