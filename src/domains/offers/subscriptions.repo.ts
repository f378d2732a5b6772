import type { Queryable } from '../../platform/db/queryable.ts';

export interface SubscriptionRow {
  region: string;
  sqs_arn: string;
  destination_id: string;
  subscription_id: string;
  checked_at: Date;
}

export async function saveSubscription(
  q: Queryable,
  s: { region: string; arn: string; destinationId: string; subscriptionId: string; at: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO offer_subscriptions (region, sqs_arn, destination_id, subscription_id, checked_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (region) DO UPDATE SET sqs_arn = EXCLUDED.sqs_arn, destination_id = EXCLUDED.destination_id,
       subscription_id = EXCLUDED.subscription_id, checked_at = EXCLUDED.checked_at`,
    [s.region, s.arn, s.destinationId, s.subscriptionId, s.at],
  );
}

export async function subscriptionOf(q: Queryable, region: string): Promise<SubscriptionRow | null> {
  const { rows } = await q.query<SubscriptionRow>(
    'SELECT region, sqs_arn, destination_id, subscription_id, checked_at FROM offer_subscriptions WHERE region = $1',
    [region],
  );
  return rows[0] ?? null;
}
