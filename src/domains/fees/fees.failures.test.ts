import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSpApi, startFakeSpApi } from '../../../test/fakes/spapi.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { type FakeTime, fakeTime } from '../../../test/helpers/http.ts';
import { runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';
import { createFeesJob } from './fees.job.ts';
import type { HttpTuning } from './sources.ts';
import { feesRows, seedListings, spApiEnv } from './testkit.ts';

// What goes wrong with SP-API, in virtual time: throttling, server errors, slow and malformed
// answers, refused tokens. Partial failures are counted; only credentials or a dead API fail the run.

let tdb: TestDatabase;
let api: FakeSpApi;
let time: FakeTime;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE listings, fees, fees_history');
  time = fakeTime();
  api = await startFakeSpApi({ now: time.nowMs });
});
afterEach(async () => {
  await api.close();
});

function run(tuning: HttpTuning = {}, env: Record<string, string> = {}) {
  const job = createFeesJob({ clock: time.clock, sleep: time.sleep, random: () => 0.5, ...tuning });
  return runJob(job, testJobDeps(tdb, { env: spApiEnv(api, env) }), new Metrics());
}

describe('throttling and server errors', () => {
  it('waits as long as a 429 Retry-After says, then goes on', async () => {
    await seedListings(tdb.db, 40);
    api.script({ kind: 'ok' }, { kind: 'throttle', retryAfterSeconds: 7 });
    const r = await run();
    expect(r.status).toBe('success');
    expect(r.counts).toMatchObject({ requested: 40, updated: 40, failed: 0, calls: 2 });
    expect(api.calls.map((c) => c.status)).toEqual([200, 429, 200]);
    expect(time.sleeps).toContain(7000);
    // the retry took a token too: three calls, at 0, 2 and 9 s
    expect(api.calls.map((c) => c.at - api.calls[0]!.at)).toEqual([0, 2000, 9000]);
  });

  it('retries a 5xx with backoff and stops at the limit: that batch fails, the run goes on', async () => {
    await seedListings(tdb.db, 60);
    api.script(
      { kind: 'ok' },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 500 },
      { kind: 'status', status: 503 },
    );
    const r = await run();
    expect(r.status).toBe('success');
    expect(r.counts).toMatchObject({ requested: 60, updated: 40, failed: 20 });
    // 1 + 4 attempts (retries: 3) for the failed batch + 1
    expect(api.calls.map((c) => c.status)).toEqual([200, 503, 503, 500, 503, 200]);
    const errors = (r.result as { errors: Array<{ code: string; message: string }> }).errors;
    expect(errors).toHaveLength(20);
    expect(errors[0]).toMatchObject({ code: 'HTTP 503' });
    expect(errors[0]!.message).toMatch(
      /^spapi-fees: POST .*\/products\/fees\/v0\/feesEstimate failed after 4 attempts: HTTP 503 \(InternalFailure: We encountered an internal error\.\)$/,
    );
    expect(await feesRows(tdb.db)).toHaveLength(40);
  });

  it("names SP-API's reason when it refuses a batch", async () => {
    await seedListings(tdb.db, 40);
    api.script({
      kind: 'status',
      status: 400,
      body: JSON.stringify({
        errors: [{ code: 'InvalidInput', message: 'Incorrect Marketplace identifier.' }],
      }),
    });
    const r = await run();
    expect(r.status).toBe('success');
    expect(r.counts).toMatchObject({ updated: 20, failed: 20 });
    expect((r.result as { errors: Array<{ code: string; message: string }> }).errors[0]).toMatchObject({
      code: 'HTTP 400',
      message: expect.stringMatching(
        /failed: HTTP 400 \(InvalidInput: Incorrect Marketplace identifier\.\)$/,
      ),
    });
    expect(api.calls).toHaveLength(2);
  });

  it('gives up when call after call fails, keeping what was written', async () => {
    await seedListings(tdb.db, 200);
    api.script(
      { kind: 'ok' },
      ...Array.from({ length: 40 }, () => ({ kind: 'status' as const, status: 502 })),
    );
    const r = await run({ retries: 1 });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(
      /^fees: giving up after 5 failed calls in a row: spapi-fees: POST .* failed after 2 attempts: HTTP 502 \(InternalFailure: .*\)$/,
    );
    expect(r.retryable).toBe(true);
    expect(api.calls).toHaveLength(1 + 5 * 2);
    expect(await feesRows(tdb.db)).toHaveLength(20);
    expect(r.result).toMatchObject({ counts: { requested: 120, updated: 20, failed: 100 } });
  });

  it('counts a malformed answer and a timed-out one as failed items', async () => {
    await seedListings(tdb.db, 60);
    api.script({ kind: 'malformed' }, { kind: 'slow', delayMs: 1500 }, { kind: 'slow', delayMs: 1500 });
    const r = await run({ timeoutMs: 300, retries: 1 });
    expect(r.status).toBe('success');
    expect(r.counts).toMatchObject({ requested: 60, updated: 20, failed: 40 });
    const codes = (r.result as { errors: Array<{ code: string; message: string }> }).errors.map(
      (e) => e.code,
    );
    expect(new Set(codes)).toEqual(new Set(['invalid_json', 'timeout']));
    const messages = (r.result as { errors: Array<{ message: string }> }).errors.map((e) => e.message);
    expect(messages[0]).toMatch(/returned malformed JSON \(HTTP 200/);
    expect(messages[20]).toMatch(/failed after 2 attempts: timed out after 300 ms$/);
  });
});

describe('credentials', () => {
  it('a token refused once is exchanged again and the call repeated', async () => {
    await seedListings(tdb.db, 40);
    api.script({ kind: 'ok' }, { kind: 'expire' });
    const r = await run();
    expect(r.status).toBe('success');
    expect(r.counts).toMatchObject({ updated: 40, failed: 0, calls: 3 });
    expect(api.calls.map((c) => [c.status, c.token])).toEqual([
      [200, 'Atza|fake-1'],
      [403, 'Atza|fake-1'],
      [200, 'Atza|fake-2'],
    ]);
    expect(r.result).toMatchObject({ token_exchanges: 2 });
  });

  it('a refresh token LWA rejects fails the run with a clear error and no fee calls', async () => {
    await seedListings(tdb.db, 5);
    const r = await run({}, { SP_API_REFRESH_TOKEN: 'Atzr|revoked' });
    expect(r.status).toBe('failed');
    expect(r.error).toBe(
      'SP-API login (LWA) refused the credentials (invalid_grant: The request has an invalid grant ' +
        'parameter : refresh_token); re-authorise the app in Seller Central and set SP_API_REFRESH_TOKEN',
    );
    expect(r.retryable).toBe(false);
    expect(api.calls).toHaveLength(0);
    expect(r.error).not.toContain('Atzr|revoked');
  });

  it('a wrong client secret (LWA 401) fails the run naming the variables to check', async () => {
    await seedListings(tdb.db, 5);
    const r = await run({}, { SP_API_CLIENT_SECRET: 'wrong' });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(
      /\(invalid_client: Client authentication failed\); check SP_API_CLIENT_ID and SP_API_CLIENT_SECRET$/,
    );
    expect(api.calls).toHaveLength(0);
  });

  it('SP-API 403 on a fresh token too fails the run', async () => {
    await seedListings(tdb.db, 5);
    api.script({ kind: 'forbidden' }, { kind: 'forbidden' });
    const r = await run();
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(
      /^SP-API refused the fee request \(HTTP 403: Unauthorized: .*\); check that the app has the Pricing role/,
    );
    expect(api.tokenRequests).toHaveLength(2);
    expect(await feesRows(tdb.db)).toEqual([]);
  });
});
