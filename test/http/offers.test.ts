import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordMessage } from '../../src/domains/offers/record.service.ts';
import { offerNotificationBody } from '../fakes/offer-notifications.ts';
import { type FakeSqs, startFakeSqs } from '../fakes/sqs.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

// GET /offers/status: the subscription, the queue's depth and the last day's notifications.
let t: TestApp;
let sqs: FakeSqs;
let viewer: string;

beforeAll(async () => {
  sqs = await startFakeSqs();
  const q = sqs.createQueue('awa-offers');
  t = await createTestApp({
    env: {
      OFFERS_SQS_QUEUE_URL: q.url,
      OFFERS_SQS_ENDPOINT: sqs.url,
      OFFERS_SQS_REGION: 'eu-west-1',
      OFFERS_SQS_ACCESS_KEY_ID: 'AKIAFAKE',
      OFFERS_SQS_SECRET_ACCESS_KEY: 'fake-secret',
    },
  });
  viewer = await t.bearer('viewer');
});
afterAll(async () => {
  await t?.close();
  await sqs?.close();
});

describe('GET /offers/status', () => {
  it('shows the queue depth and the last notification to a viewer', async () => {
    sqs.send('awa-offers', offerNotificationBody({ asin: 'B000HTTP01', at: new Date() }));
    await recordMessage(t.deps, {
      id: 'm-1',
      body: offerNotificationBody({ asin: 'B000HTTP02', at: new Date() }),
    });
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/offers/status',
      headers: { authorization: viewer },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      configured: true,
      mode: 'dry_run',
      debounce_ms: 2000,
      subscription: null,
      queue: { waiting: 1, in_flight: 0 },
      summary: {
        notifications_24h: 1,
        applied_24h: 1,
        pending: 1,
        last_asin: 'B000HTTP02',
        decisions_24h: 0,
      },
    });
    expect(Date.parse(body.summary.last_notification_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('needs a token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/offers/status' });
    expect(res.statusCode).toBe(401);
  });
});
