import type { Command } from 'commander';
import { withRuntime } from './context.ts';
import { print, runCommand } from './output.ts';

const when = (v: Date | string | null) =>
  v ? new Date(v).toISOString().slice(0, 19).replace('T', ' ') : 'never';

export function registerOffers(program: Command): void {
  const offers = program
    .command('offers')
    .description("Amazon's offer-change notifications (ANY_OFFER_CHANGED via SQS): subscription and status");
  offers
    .command('subscribe')
    .description(
      'create (or reuse) the SQS destination and the ANY_OFFER_CHANGED subscription; safe to rerun',
    )
    .option('--dry-run', 'ask Amazon what exists and say what would be created; create nothing')
    .option('--json', 'print one JSON object')
    .action(async (o: { dryRun?: boolean; json?: boolean }) => {
      await runCommand(o, () =>
        withRuntime(async (rt) => {
          const { subscribeOffers } = await import('../domains/offers/subscribe.service.ts');
          const { notificationsClientFor } = await import('../domains/offers/notifications.client.ts');
          const r = await subscribeOffers(
            { ...rt, client: () => notificationsClientFor(rt.config, { redis: rt.redis, log: rt.log }) },
            { dryRun: Boolean(o.dryRun) },
          );
          print(o, r, () =>
            [
              `${r.dry_run ? 'dry run: ' : ''}destination ${r.destination.id ?? '(new)'} for ${r.sqs_arn}: ${r.destination.action}`,
              `subscription ANY_OFFER_CHANGED ${r.subscription.id ?? '(new)'} (region ${r.region}): ${r.subscription.action}`,
              ...r.warnings.map((w) => `warning: ${w}`),
            ].join('\n'),
          );
          return 0;
        }),
      );
    });
  offers
    .command('status')
    .description('subscription, queue depth, the last notification and the decisions made (last 24 h)')
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean }) => {
      await runCommand(o, () =>
        withRuntime(async (rt) => {
          const { offersStatus } = await import('../domains/offers/status.service.ts');
          const { createSqsQueue } = await import('../platform/aws/sqs.ts');
          const queue = rt.config.OFFERS_SQS_QUEUE_URL ? createSqsQueue(rt.config) : undefined;
          try {
            const s = await offersStatus({ ...rt, queue });
            const m = s.summary;
            print(o, s, () =>
              [
                s.configured ? `queue: ${rt.config.OFFERS_SQS_QUEUE_URL}` : `not configured: ${s.reason}`,
                s.queue
                  ? `  ${s.queue.waiting} waiting, ${s.queue.in_flight} in flight`
                  : s.queue_error
                    ? `  depth unknown: ${s.queue_error}`
                    : '',
                s.subscription
                  ? `subscription: ${s.subscription.subscription_id} → destination ${s.subscription.destination_id} (checked ${when(s.subscription.checked_at)})`
                  : 'subscription: none recorded (run `awa offers subscribe`)',
                `last notification: ${when(m.last_notification_at)}${m.last_asin ? ` (${m.last_asin})` : ''}`,
                `last 24 h: ${m.notifications_24h} notifications (${m.applied_24h} applied, ${m.stale_24h} stale, ${m.ignored_24h} ignored), ${m.rejected_24h} refused messages`,
                `decisions: ${m.decisions_24h} in 24 h (${m.tripped_24h} tripped), ${m.pending} owed; last ${when(m.last_decision_at)}; mode ${s.mode}`,
              ]
                .filter(Boolean)
                .join('\n'),
            );
          } finally {
            queue?.close();
          }
          return 0;
        }),
      );
    });
}
