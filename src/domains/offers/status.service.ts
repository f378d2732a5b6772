import type { MessageQueue } from '../../platform/aws/sqs.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { messageOf } from '../../platform/errors.ts';
import { type OffersSummary, summary } from './offers.repo.ts';
import { type SubscriptionRow, subscriptionOf } from './subscriptions.repo.ts';

export interface OffersStatus {
  configured: boolean;
  /** Why the consumer does not run, when it does not. */
  reason?: string;
  mode: string;
  debounce_ms: number;
  subscription: SubscriptionRow | null;
  /** From GetQueueAttributes (one cheap call); null when not configured, `queue_error` when it failed. */
  queue: { waiting: number; in_flight: number } | null;
  queue_error?: string;
  summary: OffersSummary;
}

/** `awa offers status`: subscription, queue depth, the last day's notifications and decisions. */
export async function offersStatus(deps: {
  db: Db;
  clock: Clock;
  config: Config;
  queue?: MessageQueue;
}): Promise<OffersStatus> {
  const { config } = deps;
  const configured = Boolean(config.OFFERS_SQS_QUEUE_URL);
  const [sub, sum] = await Promise.all([
    subscriptionOf(deps.db.pool, config.SP_API_REGION),
    summary(deps.db.pool, deps.clock.now()),
  ]);
  let queue: OffersStatus['queue'] = null;
  let queueError: string | undefined;
  if (deps.queue) {
    try {
      const d = await deps.queue.depth();
      queue = { waiting: d.waiting, in_flight: d.inFlight };
    } catch (err) {
      queueError = messageOf(err);
    }
  }
  return {
    configured,
    ...(configured ? {} : { reason: 'OFFERS_SQS_QUEUE_URL is not set' }),
    mode: config.REPRICER_MODE,
    debounce_ms: config.OFFERS_DEBOUNCE_MS,
    subscription: sub,
    queue,
    ...(queueError ? { queue_error: queueError } : {}),
    summary: sum,
  };
}
