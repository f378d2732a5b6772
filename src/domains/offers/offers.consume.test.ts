import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { offerNotificationBody } from '../../../test/fakes/offer-notifications.ts';
import { type FakeSqs, startFakeSqs } from '../../../test/fakes/sqs.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { createSqsQueue } from '../../platform/aws/sqs.ts';
import { systemClock } from '../../platform/clock.ts';
import { runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';
import { consume } from './consume.service.ts';
import { createOffersJob } from './offers.job.ts';
import { logRows, OFFER_TABLES, offersDeps, seedListings } from './offers.testkit.ts';
import { recordMessage } from './record.service.ts';

// The consumer against a local SQS through the real AWS SDK, in real time (debounce 200 ms).
let tdb: TestDatabase;
let sqs: FakeSqs;
let queue: { url: string; arn: string };

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query(`TRUNCATE ${OFFER_TABLES}, agent_runs CASCADE`);
  sqs = await startFakeSqs();
  queue = sqs.createQueue('awa-offers');
});
afterEach(async () => {
  await sqs.close();
});

const sqsEnv = (debounceMs = '200') => ({
  OFFERS_SQS_QUEUE_URL: queue.url,
  OFFERS_SQS_ENDPOINT: sqs.url,
  OFFERS_SQS_REGION: 'eu-west-1',
  OFFERS_SQS_ACCESS_KEY_ID: 'AKIAFAKE',
  OFFERS_SQS_SECRET_ACCESS_KEY: 'fake-secret',
  OFFERS_DEBOUNCE_MS: debounceMs,
});
const at = (s: number) => new Date(Date.now() - 60_000 + s * 1000);

function consumer(debounceMs?: string) {
  const base = offersDeps(tdb, systemClock, sqsEnv(debounceMs));
  const q = createSqsQueue(base.config);
  const run = () =>
    consume(
      { ...base, queue: q, worker: 'w1' },
      { mode: 'dry_run', until: Date.now() + 20_000, drain: true },
    );
  return { q, run, base };
}

describe('consume', () => {
  it('records, deletes and decides: a burst for one ASIN is one decision, bad messages are deleted', async () => {
    const [skuA, skuB] = await seedListings(tdb, ['B000CONSA1', 'B000CONSB1']);
    for (let i = 0; i < 20; i++) {
      sqs.send('awa-offers', offerNotificationBody({ asin: 'B000CONSA1', at: at(i), buybox: 19 - i * 0.01 }));
    }
    sqs.send('awa-offers', offerNotificationBody({ asin: 'B000CONSB1', at: at(0) }));
    sqs.send('awa-offers', 'not json');
    sqs.send('awa-offers', JSON.stringify({ NotificationType: 'FEE_PROMOTION' }));
    // the whole burst is read well within 1.5 s (three receives): one decision for A, however loaded the machine
    const { q, run } = consumer('1500');
    const counts = await run();
    q.close();
    expect(counts).toMatchObject({
      received: 23,
      applied: 21,
      rejected: 1,
      other_type: 1,
      deleted: 23,
      record_errors: 0,
      decided_asins: 2,
    });
    expect(sqs.depth('awa-offers')).toBe(0);
    const log = await logRows(tdb);
    expect(log.map((r) => r.sku).sort()).toEqual([skuA, skuB]);
    expect(log.find((r) => r.sku === skuA)?.final_price).toBe('18.80');
    const { rows } = await tdb.db.pool.query('SELECT reason FROM offer_rejects');
    expect(rows).toEqual([{ reason: 'body is not JSON' }]);
  });

  it('a crash between commit and delete: the redelivered messages change nothing', async () => {
    const [sku] = await seedListings(tdb, ['B000CRASH1']);
    for (let i = 0; i < 3; i++) {
      sqs.send(
        'awa-offers',
        offerNotificationBody({ asin: 'B000CRASH1', at: at(i), notificationId: `n-${i}` }),
      );
    }
    const { q, run, base } = consumer();
    // the first consumer records the messages and dies before deleting them
    const taken = await q.receive({ max: 10, waitSeconds: 0, visibilitySeconds: 1 });
    for (const m of taken) await recordMessage(base, m);
    const before = await tdb.db.pool.query(
      "SELECT count(*)::int AS n FROM buybox_history WHERE source = 'notification'",
    );
    await new Promise((r) => setTimeout(r, 1100));
    const counts = await run();
    q.close();
    expect(counts).toMatchObject({ received: 3, redelivered: 3, duplicate: 3, applied: 0, deleted: 3 });
    expect(sqs.depth('awa-offers')).toBe(0);
    const after = await tdb.db.pool.query(
      "SELECT count(*)::int AS n FROM buybox_history WHERE source = 'notification'",
    );
    expect(after.rows[0].n).toBe(before.rows[0].n);
    // the decision the first consumer owed is made once, by the second
    expect((await logRows(tdb)).map((r) => r.sku)).toEqual([sku]);
  });
});

describe('the offers agent', () => {
  it('is skipped, with the reason, without a queue', async () => {
    const r = await runJob(createOffersJob(), testJobDeps(tdb), new Metrics());
    expect(r).toMatchObject({ status: 'skipped' });
    expect(r.reason).toContain('OFFERS_SQS_QUEUE_URL');
  });

  it('a manual run empties the queue and decides what it owes, in the mode asked for', async () => {
    await seedListings(tdb, ['B000AGENT1']);
    sqs.send('awa-offers', offerNotificationBody({ asin: 'B000AGENT1', at: at(0) }));
    // a notification older than the repricer log's 30 days: forgotten by the run
    await recordMessage(offersDeps(tdb, { now: () => new Date(Date.now() - 31 * 86_400_000) }), {
      id: 'old',
      body: offerNotificationBody({ asin: 'B000OLD001', at: at(0) }),
    });
    await tdb.db.pool.query('DELETE FROM offer_pending');
    const deps = testJobDeps(tdb, { env: sqsEnv(), clock: systemClock });
    const r = await runJob(createOffersJob(), deps, new Metrics(), { data: { mode: 'apply' } });
    expect(r.counts.trimmed).toBe(1);
    const { rows: kept } = await tdb.db.pool.query('SELECT asin FROM offer_notifications');
    expect(kept).toEqual([{ asin: 'B000AGENT1' }]);
    expect(r).toMatchObject({ status: 'success', error: null });
    expect(r.counts).toMatchObject({ received: 1, applied: 1, deleted: 1, decisions: 1 });
    expect(sqs.depth('awa-offers')).toBe(0);
    const { rows } = await tdb.db.pool.query('SELECT sku, mode FROM price_updates_log');
    expect(rows).toEqual([{ sku: 'SKU-B000AGENT1', mode: 'apply' }]);
  });

  it('fails clearly when the queue does not exist', async () => {
    const deps = testJobDeps(tdb, {
      env: { ...sqsEnv(), OFFERS_SQS_QUEUE_URL: `${sqs.url}/123456789012/missing` },
      clock: systemClock,
    });
    const r = await runJob(createOffersJob(), deps, new Metrics());
    expect(r.status).toBe('failed');
    expect(r.error).toContain('The specified queue does not exist');
  });

  it('a dry run counts what waits and receives nothing', async () => {
    sqs.send('awa-offers', offerNotificationBody({ asin: 'B000AGENT1', at: at(0) }));
    const deps = testJobDeps(tdb, { env: sqsEnv(), clock: systemClock });
    const r = await runJob(createOffersJob(), deps, new Metrics(), { dryRun: true });
    expect(r).toMatchObject({ status: 'success', counts: { waiting: 1, pending_decisions: 0 } });
    expect(sqs.receiveCounts('awa-offers')).toEqual([0]);
  });
});
