import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offerNotificationBody } from '../fakes/offer-notifications.ts';
import { FAKE_CREDENTIALS } from '../fakes/spapi.ts';
import { type FakeNotificationsApi, startFakeNotificationsApi } from '../fakes/spapi-notifications.ts';
import { type FakeSqs, startFakeSqs } from '../fakes/sqs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { freePort } from '../helpers/net.ts';
import { baseEnv, type Env, parseOneJson, removeDir, runCli, tempDataDir } from '../helpers/proc.ts';

// `awa offers subscribe|status` and `awa agent run offers` as an operator runs them, against a local
// Notifications API and a local SQS.
let testDb: TestDatabase;
let dataDir: string;
let env: Env;
let api: FakeNotificationsApi;
let sqs: FakeSqs;

beforeAll(async () => {
  testDb = await createTestDatabase();
  dataDir = tempDataDir();
  api = await startFakeNotificationsApi();
  sqs = await startFakeSqs();
  const q = sqs.createQueue('awa-offers');
  env = baseEnv({
    DATABASE_URL: testDb.url,
    AWA_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    SP_API_CLIENT_ID: FAKE_CREDENTIALS.clientId,
    SP_API_CLIENT_SECRET: FAKE_CREDENTIALS.clientSecret,
    SP_API_REFRESH_TOKEN: FAKE_CREDENTIALS.refreshToken,
    SP_API_LWA_URL: api.lwaUrl,
    SP_API_BASE_URL: api.url,
    OFFERS_SQS_QUEUE_URL: q.url,
    OFFERS_SQS_ARN: q.arn,
    OFFERS_SQS_ENDPOINT: sqs.url,
    OFFERS_SQS_REGION: 'eu-west-1',
    OFFERS_SQS_ACCESS_KEY_ID: 'AKIAFAKE',
    OFFERS_SQS_SECRET_ACCESS_KEY: 'fake-secret',
    OFFERS_DEBOUNCE_MS: '100',
  });
});

afterAll(async () => {
  await api?.close();
  await sqs?.close();
  await testDb?.drop();
  removeDir(dataDir);
});

describe('awa offers', () => {
  it('subscribes once, reuses on a rerun, and refuses clearly without the queue ARN', async () => {
    const dry = await runCli(['offers', 'subscribe', '--dry-run', '--json'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(parseOneJson(dry.stdout)).toMatchObject({
      dry_run: true,
      destination: { action: 'would_create' },
    });
    expect(api.destinations).toEqual([]);

    const first = await runCli(['offers', 'subscribe'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      'destination dest-1 for arn:aws:sqs:eu-west-1:123456789012:awa-offers: created',
    );
    expect(first.stdout).toContain(
      'subscription ANY_OFFER_CHANGED sub-ANY_OFFER_CHANGED (region eu): created',
    );

    const again = parseOneJson((await runCli(['offers', 'subscribe', '--json'], env)).stdout);
    expect(again).toMatchObject({ destination: { action: 'reused' }, subscription: { action: 'reused' } });

    const bad = await runCli(['offers', 'subscribe'], { ...env, OFFERS_SQS_ARN: '' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('offers subscribe needs OFFERS_SQS_ARN');
  });

  it('consumes a notification with `agent run offers` and reports it in the status', async () => {
    sqs.send('awa-offers', offerNotificationBody({ asin: 'B000CLI001', at: new Date(Date.now() - 5000) }));
    const before = parseOneJson((await runCli(['offers', 'status', '--json'], env)).stdout);
    expect(before).toMatchObject({ configured: true, queue: { waiting: 1 } });

    const run = await runCli(['agent', 'run', 'offers', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(parseOneJson(run.stdout)).toMatchObject({
      status: 'success',
      received: 1,
      applied: 1,
      deleted: 1,
    });

    const status = await runCli(['offers', 'status'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('0 waiting, 0 in flight');
    expect(status.stdout).toContain('subscription: sub-ANY_OFFER_CHANGED');
    expect(status.stdout).toMatch(/last notification: .* \(B000CLI001\)/);
    expect(status.stdout).toContain('last 24 h: 1 notifications (1 applied, 0 stale, 0 ignored)');
  });
});
