import { createWriteStream, openAsBlob } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

// A worker killed in the middle of an import: the transaction dies with it, pg-boss hands the job to
// another worker once it expires, and the retry loads every row exactly once.
const ROWS = 200_000;

let testDb: TestDatabase;
let s3: TestS3;
const dirs: string[] = [];
let file: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  s3 = await startS3rver();
  const dir = tempDataDir();
  dirs.push(dir);
  file = path.join(dir, 'big.csv');
  const out = createWriteStream(file);
  out.write('sku;preis\n');
  for (let i = 0; i < ROWS; i += 10_000) {
    let chunk = '';
    for (let j = i; j < i + 10_000; j++)
      chunk += `K-${j};${(j % 900) + 1},${String(j % 100).padStart(2, '0')}\n`;
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
    PORT: String(await freePort()),
    // the processes share files through S3, as replicas do in production
    STORAGE_DRIVER: 's3',
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    // longer than an import of ROWS takes here, or the retry itself would be taken for dead
    IMPORT_TIMEOUT_SECONDS: '25',
    JOBS_MAINTENANCE_INTERVAL_SECONDS: '1',
  });
}

describe('an import whose worker is killed', () => {
  it('is retried by another worker and loads every row exactly once', async () => {
    const apiEnv = await envFor();
    const token = JSON.parse(
      (await runCli(['token', 'create', '--role', 'ops', '--name', 'killer', '--json'], apiEnv)).stdout,
    ).token as string;
    const api = startAwa(['--roles', 'api'], apiEnv);
    await api.waitReady();
    const form = new FormData();
    form.append('vendor', 'Kill GmbH');
    form.append('file', await openAsBlob(file), 'big.csv');
    const res = await fetch(`${api.url}/api/v1/price-lists`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const { job_id } = (await res.json()) as { job_id: string };

    const first = startAwa(['--roles', 'worker'], await envFor());
    await first.waitReady();
    // kill it once it is visibly in the middle of the file
    const deadline = Date.now() + 60_000;
    for (;;) {
      const j = (await http(`${api.url}/api/v1/jobs/${job_id}`, { token })).body as {
        status: string;
        progress?: { rows_read: number };
      };
      if (j.status === 'running' && (j.progress?.rows_read ?? 0) > 0) break;
      expect(j.status, 'the import finished before it could be killed').not.toBe('success');
      if (Date.now() > deadline) throw new Error(`job never got going: ${JSON.stringify(j)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    first.child.kill('SIGKILL');
    const inDb = await testDb.db.pool.query(
      "SELECT count(*)::int AS n FROM vendors WHERE name = 'Kill GmbH'",
    );
    expect(inDb.rows[0].n).toBe(0); // nothing half-written is visible

    const second = startAwa(['--roles', 'worker'], await envFor());
    await second.waitReady();
    let job: {
      status: string;
      result?: { inserted: number; rows: number };
      runs: { status: string; error?: string }[];
    };
    const until = Date.now() + 120_000;
    for (;;) {
      job = (await http(`${api.url}/api/v1/jobs/${job_id}`, { token })).body as typeof job;
      if (job.status === 'success' || job.status === 'failed' || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(job.status, JSON.stringify(job)).toBe('success');
    expect(job.result).toMatchObject({ rows: ROWS, inserted: ROWS });
    expect(job.runs.map((r) => r.status).sort()).toEqual(['failed', 'success']);
    expect(job.runs.find((r) => r.status === 'failed')?.error).toMatch(/abandoned/);
    const counts = await testDb.db.pool.query(
      `SELECT (SELECT count(*)::int FROM vendor_prices p JOIN vendors v ON v.id = p.vendor_id
                WHERE v.name = 'Kill GmbH') AS prices,
              (SELECT count(*)::int FROM price_lists) AS lists`,
    );
    expect(counts.rows[0]).toEqual({ prices: ROWS, lists: 1 });
    expect(await second.stop()).toBe(0);
    expect(await api.stop()).toBe(0);
  }, 240_000);
});
