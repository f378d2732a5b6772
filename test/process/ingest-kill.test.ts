import { createWriteStream, openAsBlob, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../fixtures/reports/files.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { freePort } from '../helpers/net.ts';
import {
  baseEnv,
  type Env,
  http,
  killAll,
  removeDir,
  runCli,
  startAwa,
  tempDataDir,
} from '../helpers/proc.ts';
import { startS3rver, type TestS3 } from '../helpers/s3.ts';

// A worker killed in the middle of a report ingest: the transaction dies with it, pg-boss hands the
// job to another worker once it expires, and the retry lands every row of the file exactly once.
const ROWS = 300_000;
// Rows repeat every 15 000 lines (day × SKU × quantity): the ledger's identical rows are kept apart
// by their occurrence, so a retry that loaded anything twice would show.
const PERIOD = 15_000;

let testDb: TestDatabase;
let s3: TestS3;
const dirs: string[] = [];
let file: string;
let quantitySum = 0;

function ledgerLine(i: number): string {
  const day = new Date(Date.UTC(2026, 0, 1) + (i % 300) * 86_400_000).toISOString().slice(0, 10);
  const k = i % 5000;
  const qty = -(1 + (i % 3));
  quantitySum += qty;
  return `${day}\tX${String(k).padStart(9, '0')}\tB0${String(k).padStart(8, '0')}\tSKU-${k}\tThing ${k}\tShipments\t\t${qty}\tPHX7\tSELLABLE\t\tUS\t\t\t\n`;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  s3 = await startS3rver();
  const dir = tempDataDir();
  dirs.push(dir);
  file = path.join(dir, 'ledger-2026.tsv');
  const out = createWriteStream(file);
  out.write(`${readFileSync(fixture('ledger.tsv'), 'utf8').split('\n')[0]}\n`);
  for (let i = 0; i < ROWS; i += 10_000) {
    let chunk = '';
    for (let j = i; j < i + 10_000; j++) chunk += ledgerLine(j);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}, 120_000);

afterAll(async () => {
  await killAll();
  await s3?.stop();
  await testDb?.drop();
  for (const d of dirs) removeDir(d);
});

async function envFor(): Promise<Env> {
  const dir = tempDataDir();
  dirs.push(dir);
  return baseEnv({
    DATABASE_URL: testDb.url,
    AWA_DATA_DIR: dir,
    // the worker downloads the report to a temp dir that a SIGKILL leaves behind: keep it in ours
    TMPDIR: dir,
    PORT: String(await freePort()),
    AWA_MARKETPLACE: 'US',
    // the processes share the upload through S3, as replicas do in production
    STORAGE_DRIVER: 's3',
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    // longer than an ingest of ROWS takes here, or the retry itself would be taken for dead
    IMPORT_TIMEOUT_SECONDS: '40',
    JOBS_MAINTENANCE_INTERVAL_SECONDS: '1',
  });
}

interface Job {
  status: string;
  stage: string;
  progress?: { rows_read?: number };
  result?: { rows: number; inserted: number; status: string; load_id: number };
  runs: { status: string; error?: string }[];
}

describe('a report ingest whose worker is killed', () => {
  it('is retried by another worker and lands every row exactly once', async () => {
    const apiEnv = await envFor();
    const token = JSON.parse(
      (await runCli(['token', 'create', '--role', 'ops', '--name', 'ingest-killer', '--json'], apiEnv))
        .stdout,
    ).token as string;
    const api = startAwa(['--roles', 'api'], apiEnv);
    await api.waitReady();
    const form = new FormData();
    form.append('file', await openAsBlob(file), 'ledger-2026.tsv');
    const res = await fetch(`${api.url}/api/v1/ingest`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const { job_id } = (await res.json()) as { job_id: string };
    const job = async () => (await http(`${api.url}/api/v1/jobs/${job_id}`, { token })).body as Job;

    const first = startAwa(['--roles', 'worker'], await envFor());
    await first.waitReady();
    // kill it once it is visibly in the middle of the file
    let killedIn: Job | undefined;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const j = await job();
      expect(j.status, 'the ingest finished before it could be killed').not.toMatch(/success|failed|skipped/);
      if (
        j.status === 'running' &&
        (j.stage === 'writing' || (j.stage === 'parsing' && (j.progress?.rows_read ?? 0) > 0))
      ) {
        first.child.kill('SIGKILL');
        killedIn = j;
        break;
      }
      if (Date.now() > deadline) throw new Error(`job never got going: ${JSON.stringify(j)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await first.stop()).toBe(null);
    expect(['parsing', 'writing']).toContain(killedIn?.stage);
    expect(killedIn?.progress).toMatchObject({ stage: killedIn?.stage, rows_read: expect.any(Number) });
    // nothing half-written is visible
    const half = await testDb.db.pool.query(
      `SELECT (SELECT count(*)::int FROM inventory_ledger_raw) AS ledger, (SELECT count(*)::int FROM load_log) AS loads`,
    );
    expect(half.rows[0]).toEqual({ ledger: 0, loads: 0 });

    const second = startAwa(['--roles', 'worker'], await envFor());
    await second.waitReady();
    let done: Job;
    const until = Date.now() + 180_000;
    for (;;) {
      done = await job();
      if (['success', 'failed', 'skipped'].includes(done.status) || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(done.status, JSON.stringify(done)).toBe('success');
    expect(done.stage).toBe('done');
    expect(done.result).toMatchObject({ status: 'success', rows: ROWS, inserted: ROWS });
    expect(done.runs.map((r) => r.status).sort()).toEqual(['failed', 'success']);
    expect(done.runs.find((r) => r.status === 'failed')?.error).toMatch(/abandoned/);

    const ledger = await testDb.db.pool.query(
      `SELECT count(*)::int AS n, sum(quantity)::int AS qty, count(DISTINCT row_hash)::int AS distinct_rows,
              max(occurrence)::int AS max_occurrence, count(DISTINCT load_id)::int AS loads
       FROM inventory_ledger_raw`,
    );
    expect(ledger.rows[0]).toEqual({
      n: ROWS,
      qty: quantitySum,
      distinct_rows: PERIOD,
      max_occurrence: ROWS / PERIOD,
      loads: 1,
    });
    const loads = await testDb.db.pool.query(
      `SELECT id::int AS id, source, status, rows_inserted FROM load_log`,
    );
    expect(loads.rows).toEqual([
      {
        id: done.result!.load_id,
        source: 'report:inventory_ledger:US',
        status: 'success',
        rows_inserted: ROWS,
      },
    ]);
    expect(await second.stop()).toBe(0);
    expect(await api.stop()).toBe(0);
  }, 360_000);
});
