import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeNotificationsApi,
  startFakeNotificationsApi,
} from '../../../test/fakes/spapi-notifications.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { type FakeTime, fakeTime } from '../../../test/helpers/http.ts';
import { spApiEnv } from '../fees/testkit.ts';
import { notificationsClientFor } from './notifications.client.ts';
import { OFFER_TABLES, offersDeps } from './offers.testkit.ts';
import { offersStatus } from './status.service.ts';
import { subscribeOffers } from './subscribe.service.ts';

// `awa offers subscribe` against a local Notifications API: grantless destinations, the seller's
// subscription, idempotent on every rerun.
const ARN = 'arn:aws:sqs:eu-west-1:123456789012:awa-offers';
let tdb: TestDatabase;
let api: FakeNotificationsApi;
let time: FakeTime;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query(`TRUNCATE ${OFFER_TABLES} CASCADE`);
  time = fakeTime();
  api = await startFakeNotificationsApi({ now: time.nowMs });
});
afterEach(async () => {
  await api.close();
});

function subscribe(dryRun = false, env: Record<string, string> = { OFFERS_SQS_ARN: ARN }) {
  const d = offersDeps(tdb, time.clock, { ...spApiEnv(api), ...env });
  const client = () =>
    notificationsClientFor(d.config, { tuning: { clock: time.clock, sleep: time.sleep, random: () => 0.5 } });
  return subscribeOffers({ ...d, client }, { dryRun });
}

const posts = () => api.calls.filter((c) => c.method === 'POST').map((c) => `${c.path} ${c.status}`);

describe('subscribeOffers', () => {
  it('creates the destination with a grantless token and subscribes with the seller token', async () => {
    const r = await subscribe();
    expect(r).toEqual({
      dry_run: false,
      region: 'eu',
      sqs_arn: ARN,
      destination: { id: 'dest-1', action: 'created' },
      subscription: { id: 'sub-ANY_OFFER_CHANGED', action: 'created', destination_id: 'dest-1' },
      warnings: [],
    });
    expect(api.destinations).toEqual([
      { destinationId: 'dest-1', name: 'awa-offers', resource: { sqs: { arn: ARN } } },
    ]);
    const grants = api.tokenRequests.map((t) => [t.form.grant_type, t.form.scope]);
    expect(grants).toEqual([
      ['client_credentials', 'sellingpartnerapi::notifications'],
      ['refresh_token', undefined],
    ]);
    expect(api.tokenRequests[0]!.form).not.toHaveProperty('refresh_token');
    const kinds = api.calls.map((c) => `${c.method} ${c.path} ${c.token?.kind}`);
    expect(kinds).toEqual([
      'GET /notifications/v1/destinations grantless',
      'POST /notifications/v1/destinations grantless',
      'POST /notifications/v1/subscriptions/ANY_OFFER_CHANGED seller',
    ]);
    expect(api.calls[2]!.body).toEqual({ payloadVersion: '1.0', destinationId: 'dest-1' });
  });

  it('is idempotent: a rerun reuses the destination and reads the subscription back after 409', async () => {
    await subscribe();
    api.calls.length = 0;
    const again = await subscribe();
    expect(again.destination).toEqual({ id: 'dest-1', action: 'reused' });
    expect(again.subscription).toEqual({
      id: 'sub-ANY_OFFER_CHANGED',
      action: 'reused',
      destination_id: 'dest-1',
    });
    expect(posts()).toEqual(['/notifications/v1/subscriptions/ANY_OFFER_CHANGED 409']);
    expect(api.destinations).toHaveLength(1);
  });

  it('warns when the existing subscription delivers elsewhere', async () => {
    api.destinations.push({
      destinationId: 'dest-old',
      name: 'old',
      resource: { sqs: { arn: `${ARN}-old` } },
    });
    api.subscriptions.set('ANY_OFFER_CHANGED', {
      subscriptionId: 'sub-old',
      payloadVersion: '1.0',
      destinationId: 'dest-old',
    });
    const r = await subscribe();
    expect(r.subscription).toEqual({ id: 'sub-old', action: 'reused', destination_id: 'dest-old' });
    expect(r.warnings[0]).toContain('delivers to destination dest-old');
  });

  it('waits out a 429 as Retry-After says (1 request/s plan)', async () => {
    api.throttle(2);
    const r = await subscribe();
    expect(r.subscription.action).toBe('created');
    expect(api.calls[0]!.status).toBe(429);
    expect(time.sleeps).toContain(2000);
  });

  it('a dry run reads only and says what it would create', async () => {
    const r = await subscribe(true);
    expect(r).toMatchObject({
      dry_run: true,
      destination: { id: null, action: 'would_create' },
      subscription: { id: null, action: 'would_create' },
    });
    expect(posts()).toEqual([]);
    expect((await tdb.db.pool.query('SELECT * FROM offer_subscriptions')).rows).toEqual([]);
  });

  it('names what is missing', async () => {
    await expect(subscribe(false, {})).rejects.toMatchObject({
      kind: 'config',
      message: 'offers subscribe needs OFFERS_SQS_ARN',
    });
    const d = offersDeps(tdb, time.clock, { OFFERS_SQS_ARN: ARN });
    await expect(
      subscribeOffers({ ...d, client: () => notificationsClientFor(d.config) }, { dryRun: true }),
    ).rejects.toMatchObject({
      message: 'offers subscribe needs SP_API_CLIENT_ID, SP_API_CLIENT_SECRET, SP_API_REFRESH_TOKEN',
    });
    expect(api.calls).toEqual([]);
  });

  it('remembers the subscription for the status', async () => {
    await subscribe();
    const d = offersDeps(tdb, time.clock);
    const s = await offersStatus(d);
    expect(s).toMatchObject({
      configured: false,
      reason: 'OFFERS_SQS_QUEUE_URL is not set',
      queue: null,
      subscription: {
        region: 'eu',
        sqs_arn: ARN,
        destination_id: 'dest-1',
        subscription_id: 'sub-ANY_OFFER_CHANGED',
      },
      summary: { notifications_24h: 0, pending: 0, decisions_24h: 0, last_notification_at: null },
    });
  });
});
