import { missingSpApiCredentials } from '../../platform/amazon/spapi.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import { ANY_OFFER_CHANGED, type NotificationsClient } from './notifications.client.ts';
import { saveSubscription } from './subscriptions.repo.ts';

/** The destination's name on Amazon's side (one per application and queue). */
export const DESTINATION_NAME = 'awa-offers';

export interface SubscribeResult {
  dry_run: boolean;
  region: string;
  sqs_arn: string;
  destination: { id: string | null; action: 'created' | 'reused' | 'would_create' };
  subscription: {
    id: string | null;
    action: 'created' | 'reused' | 'would_create';
    destination_id: string | null;
  };
  /** Something the user should look at (a subscription delivering to another destination). */
  warnings: string[];
}

/** What subscribing needs that is not set, in the order the README lists them. */
export function missingSubscribeConfig(config: Config): string[] {
  return [...missingSpApiCredentials(config), ...(config.OFFERS_SQS_ARN ? [] : ['OFFERS_SQS_ARN'])];
}

/**
 * `awa offers subscribe`: makes Amazon deliver ANY_OFFER_CHANGED to the configured queue. Idempotent:
 * the destination for OFFERS_SQS_ARN is reused when it exists (found by its ARN), and a subscription
 * that exists (409 on create) is read back. One subscription covers the seller's marketplaces of the
 * SP-API region (subscriptions belong to the seller's authorisation, which is per region); the
 * consumer keeps what concerns AWA's marketplaces. A dry run reads only and says what it would create.
 */
export async function subscribeOffers(
  /** `client` is made once the configuration is known to be complete (it needs the credentials). */
  deps: { db: Db; config: Config; clock: Clock; client: () => NotificationsClient },
  opts: { dryRun: boolean },
): Promise<SubscribeResult> {
  const { config } = deps;
  const missing = missingSubscribeConfig(config);
  if (missing.length > 0) {
    throw new AppError('config', `offers subscribe needs ${missing.join(', ')}`, { missing });
  }
  const client = deps.client();
  const arn = config.OFFERS_SQS_ARN!;
  const warnings: string[] = [];
  const existing = (await client.destinations()).find((d) => d.arn === arn);
  let destinationId = existing?.destinationId ?? null;
  if (!existing && !opts.dryRun)
    destinationId = (await client.createDestination(DESTINATION_NAME, arn)).destinationId;
  const destination = {
    id: destinationId,
    action: existing ? ('reused' as const) : opts.dryRun ? ('would_create' as const) : ('created' as const),
  };

  let subscription: SubscribeResult['subscription'];
  if (opts.dryRun || !destinationId) {
    const current = await client.subscription(ANY_OFFER_CHANGED);
    subscription = current
      ? { id: current.subscriptionId, action: 'reused', destination_id: current.destinationId }
      : { id: null, action: 'would_create', destination_id: destinationId };
  } else {
    const { subscription: s, existed } = await client.subscribe(ANY_OFFER_CHANGED, destinationId);
    subscription = {
      id: s.subscriptionId,
      action: existed ? 'reused' : 'created',
      destination_id: s.destinationId,
    };
  }
  if (subscription.destination_id && destinationId && subscription.destination_id !== destinationId) {
    warnings.push(
      `the existing ${ANY_OFFER_CHANGED} subscription delivers to destination ${subscription.destination_id}, ` +
        `not to ${destinationId} (${arn}); delete it (deleteSubscriptionById) and subscribe again to move it`,
    );
  }
  if (!opts.dryRun && subscription.id && destinationId) {
    await saveSubscription(deps.db.pool, {
      region: config.SP_API_REGION,
      arn,
      destinationId,
      subscriptionId: subscription.id,
      at: deps.clock.now(),
    });
  }
  return {
    dry_run: opts.dryRun,
    region: config.SP_API_REGION,
    sqs_arn: arn,
    destination,
    subscription,
    warnings,
  };
}
