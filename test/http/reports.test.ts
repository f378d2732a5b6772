import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../src/jobs/registry.ts';
import { JobQueue } from '../../src/platform/jobs/index.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { Metrics } from '../../src/platform/metrics.ts';
import { fixture } from '../fixtures/reports/files.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { startServer } from '../helpers/http.ts';

// POST /ingest (multipart upload and JSON) and the report_ingest job as GET /jobs/{id} shows it.
// Remote sources and broken files: reports-sources.test.ts; /reports/loads and /stats/returns:
// reports-reads.test.ts.
let t: TestApp;
let worker: JobQueue | undefined;
let ops: string;
let viewer: string;
const OPS_NAME = `ops-reports-${process.pid}`;
const LIMIT = 32 * 1024;

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

/** A multipart/form-data body as a browser or curl would send it; `name` is sent byte for byte. */
function form(
  fields: Record<string, string>,
  file?: { name: string; content: string | Buffer },
  fieldsAfter = {},
) {
  const boundary = `----awa${Math.random().toString(16).slice(2)}`;
  const field = (k: string, v: string) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) => field(k, v));
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  for (const [k, v] of Object.entries(fieldsAfter)) parts.push(field(k, String(v)));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(
  fields: Record<string, string>,
  file?: { name: string; content: string | Buffer },
  o: { auth?: string; fieldsAfter?: Record<string, string> } = {},
) {
  const f = form(fields, file, o.fieldsAfter);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    payload: f.payload,
    headers: { ...f.headers, authorization: o.auth ?? ops },
  });
}

const postJson = (payload: unknown, auth = ops) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    payload: payload as object,
    headers: { authorization: auth },
  });

const get = (url: string, auth = viewer) =>
  t.app.inject({ method: 'GET', url, headers: { authorization: auth } });

async function getJob(id: string): Promise<Job> {
  const res = await get(`/api/v1/jobs/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const FINISHED = new Set(['success', 'skipped', 'failed']);

/** Polls the job until it has finished; `stages` collects every distinct stage seen, in order. */
async function finished(id: string, stages: string[] = []): Promise<Job> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const j = await getJob(id);
    if (stages.at(-1) !== j.stage) stages.push(j.stage);
    if (FINISHED.has(j.status)) return j;
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish: ${JSON.stringify(j)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function startWorker(): Promise<void> {
  if (worker) return;
  worker = await JobQueue.open(t.tdb.url, JOBS, { worker: true, scheduler: false, log: silentLogger });
  await worker.work(t.deps, new Metrics());
}

async function objects(prefix = ''): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const o of t.deps.store.list(prefix)) {
    const chunks: Buffer[] = [];
    for await (const c of await t.deps.store.get(o.key)) chunks.push(c as Buffer);
    out.set(o.key, Buffer.concat(chunks).toString('utf8'));
  }
  return out;
}

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await t.tdb.db.pool.query(sql, params)).rows as T[];
}
const queuedJobs = async () =>
  (await q<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'report_ingest'`))[0]!.n;

const month = () => new Date().toISOString().slice(0, 7);
const RETURNS = readFileSync(fixture('returns.tsv'), 'utf8');
const SETTLEMENT = readFileSync(fixture('settlement.txt'), 'utf8');
/** The returns fixture with one impossible date (line 3). */
const BAD_RETURNS = RETURNS.replace('2026-09-02T22:01:05+00:00', '2026-02-31');

beforeAll(async () => {
  t = await createTestApp({ env: { UPLOAD_MAX_BYTES: String(LIMIT), AWA_MARKETPLACE: 'US' } });
  ops = await t.bearer('ops', OPS_NAME);
  viewer = await t.bearer('viewer');
});

afterAll(async () => {
  await worker?.stop(5000);
  await t?.close();
});

describe('POST /api/v1/ingest (upload)', () => {
  it('stores the file under raw/amazon/YYYY-MM/, queues report_ingest and shows stages and the summary', async () => {
    const before = month();
    const res = await upload({}, { name: 'returns.tsv', content: RETURNS });
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({
      job_id: expect.any(String),
      dry_run: false,
      size: Buffer.byteLength(RETURNS),
    });
    // the sanitised name behind an id (upload time, random bits) that no other upload can share
    const [, keyMonth] =
      /^raw\/amazon\/(\d{4}-\d{2})\/\d{8}T\d{9}Z-[0-9a-f]{16}-returns\.tsv$/.exec(body.object_key) ?? [];
    expect([before, month()], body.object_key).toContain(keyMonth);
    expect((await objects('raw/amazon/')).get(body.object_key)).toBe(RETURNS);

    // no worker yet: the job waits in the queue
    const queued = await getJob(body.job_id);
    expect(queued).toMatchObject({ name: 'report_ingest', status: 'queued', stage: 'queued' });
    expect(queued.data).toMatchObject({
      object_key: body.object_key,
      file_name: 'returns.tsv',
      actor: OPS_NAME,
    });

    await startWorker();
    const stages = ['queued'];
    const done = await finished(body.job_id, stages);
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'success', stage: 'done', retry_count: 0 });
    // whatever the polling caught, the stages came in SPEC §4's order (a job picked up by a worker
    // whose run has not written its first stage yet shows the generic `running`: left out here)
    const ORDER = ['queued', 'downloading', 'detecting', 'parsing', 'writing', 'done'];
    const seen = stages.filter((s) => s !== 'running');
    expect(
      seen.every((s) => ORDER.includes(s)),
      stages.join(' → '),
    ).toBe(true);
    expect(seen.map((s) => ORDER.indexOf(s))).toEqual([...seen.map((s) => ORDER.indexOf(s))].sort());
    expect(done.result).toMatchObject({
      status: 'success',
      type: 'returns',
      file: 'returns.tsv',
      marketplace: 'US',
      rows: 2,
      inserted: 2,
      duplicates: 0,
      rejected: 0,
      dry_run: false,
      load_id: expect.any(Number),
    });
    expect(done.runs).toHaveLength(1);
    expect(done.runs[0]).toMatchObject({ status: 'success', counts: { rows: 2, inserted: 2 } });
    const rows = await q(`SELECT order_id, marketplace, load_id FROM returns_raw ORDER BY order_id`);
    expect(rows).toEqual([
      { order_id: '113-1234567-1234567', marketplace: 'US', load_id: done.result?.load_id },
      { order_id: '114-7654321-7654321', marketplace: 'US', load_id: done.result?.load_id },
    ]);
  });

  it('the same file again is skipped; force re-ingests it and adds nothing', async () => {
    await startWorker();
    const again = await upload({}, { name: 'returns.tsv', content: RETURNS });
    const skipped = await finished(again.json().job_id);
    expect(skipped).toMatchObject({ status: 'skipped', stage: 'done' });
    expect(skipped.result).toMatchObject({ status: 'skipped', inserted: 0 });

    const forced = await upload({ force: 'true' }, { name: 'returns.tsv', content: RETURNS });
    const done = await finished(forced.json().job_id);
    expect(done).toMatchObject({ status: 'success' });
    expect(done.result).toMatchObject({ status: 'success', rows: 2, inserted: 0, duplicates: 2 });
    expect((await q<{ n: number }>(`SELECT count(*)::int AS n FROM returns_raw`))[0]!.n).toBe(2);
  });

  it('type and marketplace from the form are used; a second upload of a name gets its own key', async () => {
    await startWorker();
    const first = await upload(
      { type: 'settlement', marketplace: 'ca' },
      { name: 'settle.txt', content: SETTLEMENT },
    );
    expect(first.statusCode, first.body).toBe(202);
    // the same name in the same month with other content: both files are kept, each job reads its own
    const other = SETTLEMENT.replaceAll('11782645381', '11782645999');
    const second = await upload({ marketplace: 'CA' }, { name: 'settle.txt', content: other });
    expect(second.statusCode, second.body).toBe(202);
    const k1 = first.json().object_key as string;
    const k2 = second.json().object_key as string;
    expect(k1).not.toBe(k2);
    for (const k of [k1, k2])
      expect(k).toMatch(/^raw\/amazon\/\d{4}-\d{2}\/\d{8}T\d{9}Z-[0-9a-f]{16}-settle\.txt$/);
    const stored = await objects('raw/amazon/');
    expect(stored.get(k1)).toBe(SETTLEMENT);
    expect(stored.get(k2)).toBe(other);

    const [d1, d2] = [await finished(first.json().job_id), await finished(second.json().job_id)];
    expect(d1.result).toMatchObject({
      status: 'success',
      type: 'settlement',
      marketplace: 'CA',
      inserted: 5,
    });
    expect(d2.result).toMatchObject({
      status: 'success',
      type: 'settlement',
      marketplace: 'CA',
      inserted: 5,
    });
    expect(await q(`SELECT settlement_id FROM settlements ORDER BY 1`)).toEqual([
      { settlement_id: '11782645381' },
      { settlement_id: '11782645999' },
    ]);
  });

  it('two uploads of one name at the same time never share a key', async () => {
    const a = SETTLEMENT.replaceAll('11782645381', '11782640001');
    const b = SETTLEMENT.replaceAll('11782645381', '11782640002');
    const [ra, rb] = await Promise.all([
      upload({ dry_run: 'true' }, { name: 'race.txt', content: a }),
      upload({ dry_run: 'true' }, { name: 'race.txt', content: b }),
    ]);
    expect(ra.statusCode, ra.body).toBe(202);
    expect(rb.statusCode, rb.body).toBe(202);
    expect(ra.json().object_key).not.toBe(rb.json().object_key);
    const stored = await objects('raw/amazon/');
    expect(stored.get(ra.json().object_key)).toBe(a);
    expect(stored.get(rb.json().object_key)).toBe(b);
  });

  it('a name with ../ and control characters is stored under a sanitised key inside raw/amazon/', async () => {
    await startWorker();
    const before = await objects();
    const res = await upload({}, { name: '../../..\\x/ev\u0001il\u001f rep\u007fort.tsv', content: RETURNS });
    expect(res.statusCode, res.body).toBe(202);
    const key = res.json().object_key as string;
    expect(key).toMatch(/^raw\/amazon\/\d{4}-\d{2}\/[A-Za-z0-9._-]+$/);
    expect(key.split('/').pop()).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{16}-evil_report\.tsv$/);
    const after = await objects();
    const added = [...after.keys()].filter((k) => !before.has(k));
    expect(added).toEqual([key]);
    // the upload is still ingested (it is the returns fixture again: skipped as already loaded)
    expect((await finished(res.json().job_id)).result).toMatchObject({ status: 'skipped', type: 'returns' });
  });

  it('dry_run ingests in a rolled-back transaction: counts, but no rows and no load', async () => {
    await startWorker();
    const loads = await q(`SELECT id FROM load_log`);
    const content = RETURNS.replaceAll('113-1234567-1234567', '113-0000000-0000001').replaceAll(
      '114-7654321-7654321',
      '114-0000000-0000002',
    );
    const res = await upload({ dry_run: 'true' }, { name: 'dry.tsv', content });
    expect(res.json()).toMatchObject({ dry_run: true });
    const done = await finished(res.json().job_id);
    expect(done.status).toBe('success');
    expect(done.result).toMatchObject({ status: 'success', dry_run: true, inserted: 2, load_id: null });
    expect(await q(`SELECT order_id FROM returns_raw WHERE order_id LIKE '%-0000000-%'`)).toEqual([]);
    expect(await q(`SELECT id FROM load_log`)).toEqual(loads);
  });

  it('an invalid file fails without retries; the result lists line, column, value and reason', async () => {
    await startWorker();
    const loads = await q(`SELECT id FROM load_log`);
    const content = BAD_RETURNS.replace('113-1234567-1234567', '113-9999999-1111111');
    const res = await upload({}, { name: 'bad.tsv', content });
    const done = await finished(res.json().job_id);
    expect(done).toMatchObject({ status: 'failed', stage: 'failed', retry_count: 0 });
    expect(done.error).toMatch(/1 of 2 rows are invalid; nothing was ingested/);
    expect(done.result?.rejections).toEqual([
      { line: 3, column: 'return-date', value: '2026-02-31', reason: expect.stringMatching(/\w/) },
    ]);
    expect(done.runs).toHaveLength(1);
    // still failed (not queued again) a moment later
    await new Promise((r) => setTimeout(r, 1500));
    expect(await getJob(res.json().job_id)).toMatchObject({ status: 'failed', retry_count: 0 });
    expect(await q(`SELECT order_id FROM returns_raw WHERE order_id = '113-9999999-1111111'`)).toEqual([]);
    expect(await q(`SELECT id FROM load_log`)).toEqual(loads);

    // skip_invalid loads the valid row and reports the other
    const partial = await upload({ skip_invalid: 'true' }, { name: 'bad.tsv', content });
    const p = await finished(partial.json().job_id);
    expect(p.status).toBe('success');
    expect(p.result).toMatchObject({ status: 'partial', rows: 2, inserted: 1, rejected: 1 });
    expect(p.result?.rejections).toEqual([expect.objectContaining({ line: 3, value: '2026-02-31' })]);
    expect(await q(`SELECT order_id FROM returns_raw WHERE order_id = '113-9999999-1111111'`)).toHaveLength(
      1,
    );
  });

  it('413 for a file over UPLOAD_MAX_BYTES, with nothing stored and nothing queued', async () => {
    const before = await objects();
    const jobs = await queuedJobs();
    const big =
      RETURNS +
      RETURNS.split('\n')[1]!
        .concat('\n')
        .repeat(Math.ceil(LIMIT / 200));
    expect(big.length).toBeGreaterThan(LIMIT);
    const res = await upload({ type: 'returns' }, { name: 'big.tsv', content: big });
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
    expect([...(await objects()).keys()]).toEqual([...before.keys()]);
    expect(await queuedJobs()).toBe(jobs);
  });

  it('refuses bad form fields before queueing, and keeps no stored file', async () => {
    const before = await objects();
    const jobs = await queuedJobs();
    const file = { name: 'x.tsv', content: RETURNS };
    const cases = [
      await upload({ colour: 'red' }, file),
      await upload({}, file, { fieldsAfter: { colour: 'red' } }),
      await upload({ force: 'maybe' }, file),
      await upload({ type: 'orders' }, file),
      await upload({ marketplace: 'Germany' }, file),
      await upload({ type: 'returns' }),
    ];
    expect(cases.map((r) => r.statusCode)).toEqual([400, 400, 400, 400, 400, 400]);
    expect(cases[0]!.json().error.message).toMatch(/colour/);
    expect(cases[3]!.json().error.message).toMatch(/known types: .*returns/);
    expect(cases[4]!.json().error.message).toMatch(/2-letter/);
    expect(cases[5]!.json().error.message).toMatch(/file/);
    expect([...(await objects()).keys()]).toEqual([...before.keys()]);
    expect(await queuedJobs()).toBe(jobs);
  });

  it('needs the ops role', async () => {
    const jobs = await queuedJobs();
    const before = await objects();
    const multipart = await upload({}, { name: 'v.tsv', content: RETURNS }, { auth: viewer });
    expect(multipart.statusCode).toBe(403);
    const json = await postJson({ uri: 's3://bucket/key.tsv' }, viewer);
    expect(json.statusCode).toBe(403);
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/ingest', payload: { uri: 's3://b/k' } });
    expect(none.statusCode).toBe(401);
    expect(await queuedJobs()).toBe(jobs);
    expect([...(await objects()).keys()]).toEqual([...before.keys()]);
  });
});

describe('POST /api/v1/ingest (JSON)', () => {
  it('queues a job for a URI with the options given', async () => {
    await startWorker();
    const web = await startServer((_req, res) => {
      res.statusCode = 404;
      res.end('gone');
    });
    try {
      const uri = `${web.url}/reports/returns.tsv`;
      const res = await postJson({
        uri,
        type: 'returns',
        marketplace: 'de',
        force: true,
        dry_run: true,
        skip_invalid: true,
      });
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json()).toMatchObject({ uri, dry_run: true });
      const job = await finished(res.json().job_id);
      expect(job.data).toMatchObject({
        uri,
        type: 'returns',
        marketplace: 'DE',
        force: true,
        dry_run: true,
        skip_invalid: true,
        actor: OPS_NAME,
      });
      // (remote sources are exercised in reports-sources.test.ts)
      expect(job).toMatchObject({ status: 'failed', retry_count: 0 });
    } finally {
      await web.close();
    }
  });

  it('refuses file://, plain paths, other schemes, unknown fields and bad values (400, nothing queued)', async () => {
    const jobs = await queuedJobs();
    const bad: [unknown, RegExp][] = [
      [{ uri: 'file:///etc/passwd' }, /s3:\/\/, http:\/\/ or https:\/\//],
      [{ uri: '/etc/passwd' }, /s3:\/\/, http:\/\/ or https:\/\//],
      [{ uri: 'returns.tsv' }, /s3:\/\/, http:\/\/ or https:\/\//],
      [{ uri: 'ftp://example.com/r.tsv' }, /s3:\/\/, http:\/\/ or https:\/\//],
      [{ uri: 's3://b/k.tsv', colour: 'red' }, /colour|additional/i],
      [{ uri: 's3://b/k.tsv', type: 'orders' }, /known types/],
      [{ uri: 's3://b/k.tsv', marketplace: 'D1' }, /2-letter/],
      [{ uri: 's3://b/k.tsv', force: 'yes' }, /force/],
      [{}, /uri/],
    ];
    for (const [payload, message] of bad) {
      const res = await postJson(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.message, JSON.stringify(payload)).toMatch(message);
    }
    expect(await queuedJobs()).toBe(jobs);
  });
});
