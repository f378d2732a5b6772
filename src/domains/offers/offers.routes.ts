import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { DateTime, Nullable, withErrors } from '../../http/schemas.ts';
import { createSqsQueue, type MessageQueue } from '../../platform/aws/sqs.ts';
import { offersStatus } from './status.service.ts';

const Count = (description?: string) => Type.Integer({ minimum: 0, ...(description ? { description } : {}) });

const OffersStatus = Type.Object(
  {
    configured: Type.Boolean({
      description: 'OFFERS_SQS_QUEUE_URL is set: the offers agent consumes the queue',
    }),
    reason: Type.Optional(Type.String({ description: 'why the consumer does not run' })),
    mode: Type.String({ description: 'REPRICER_MODE, which notified decisions follow too' }),
    debounce_ms: Count('OFFERS_DEBOUNCE_MS'),
    subscription: Nullable(
      Type.Object({
        region: Type.String(),
        sqs_arn: Type.String(),
        destination_id: Type.String(),
        subscription_id: Type.String(),
        checked_at: DateTime({ description: 'when `awa offers subscribe` last confirmed it' }),
      }),
    ),
    queue: Nullable(
      Type.Object({ waiting: Count(), in_flight: Count() }, { description: "the queue's approximate depth" }),
    ),
    queue_error: Type.Optional(Type.String({ description: 'the queue could not be read' })),
    summary: Type.Object({
      notifications_24h: Count(),
      applied_24h: Count(),
      stale_24h: Count('older than a change already recorded: kept in the history only'),
      ignored_24h: Count('used condition, or a marketplace AWA does not know'),
      rejected_24h: Count('malformed messages'),
      last_notification_at: Nullable(DateTime()),
      last_changed_at: Nullable(DateTime({ description: "the last notification's TimeOfOfferChange" })),
      last_asin: Nullable(Type.String()),
      pending: Count('ASINs waiting for their decision (debounce)'),
      decisions_24h: Count(),
      tripped_24h: Count(),
      last_decision_at: Nullable(DateTime()),
      last_decision_run: Nullable(Type.String({ description: 'its run id in the repricer log' })),
    }),
  },
  { $id: 'OffersStatus' },
);

/** GET /offers/status: what `awa offers status` prints. */
export async function offersRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // one SQS client per server (its connections are reused), made on the first status request
  let queue: MessageQueue | undefined;
  app.addHook('onClose', async () => queue?.close());
  app.get(
    '/offers/status',
    {
      schema: {
        tags: ['offers'],
        summary:
          "Amazon's offer-change notifications: subscription, queue depth, the last day's notifications and decisions",
        response: withErrors({ 200: OffersStatus }),
      },
    },
    async () => {
      if (deps.config.OFFERS_SQS_QUEUE_URL) queue ??= createSqsQueue(deps.config);
      return offersStatus({ ...deps, queue });
    },
  );
}
