import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { Literals, Paged, withErrors } from '../../http/schemas.ts';
import * as s from './alerts.schemas.ts';
import type { Severity } from './alerts.types.ts';
import { type Channels, createChannels } from './channels.ts';
import * as svc from './endpoints.service.ts';
import type { AlertsDeps } from './targets.service.ts';

const NoContent = Type.Null({ description: 'done; no body' });
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export async function alertsRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  let channels: Channels | undefined;
  // one set of clients per server, made on first use (most requests never notify anyone)
  const adeps = (): AlertsDeps => {
    channels ??= createChannels({ ...deps, metrics: deps.metrics });
    return { ...deps, channels };
  };
  app.addHook('onClose', async () => channels?.close());

  app.get(
    '/alerts/webhooks',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Webhook endpoints: WEBHOOK_URLS and the ones added here (secrets are never listed)',
        response: withErrors({ 200: Type.Array(s.Endpoint) }),
      },
    },
    async () => svc.listEndpoints(adeps()),
  );

  app.post(
    '/alerts/webhooks',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Add an endpoint (checked reachable); the answer shows its signing secret once',
        body: s.EndpointBody,
        response: withErrors({ 201: s.CreatedEndpoint }),
      },
    },
    async (req, reply) => {
      const out = await svc.createEndpoint(adeps(), {
        ...req.body,
        min_severity: req.body.min_severity as Severity,
      });
      req.auditEvent = { event: 'webhook_endpoint_created', details: { id: out.id, url: out.url } };
      return reply.status(201).send(out);
    },
  );

  app.delete(
    '/alerts/webhooks/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Remove an endpoint and its delivery history',
        params: Id,
        response: withErrors({ 204: NoContent }),
      },
    },
    async (req, reply) => {
      await svc.deleteEndpoint(adeps(), req.params.id);
      req.auditEvent = { event: 'webhook_endpoint_deleted', details: { id: req.params.id } };
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/alerts/webhooks/:id/test',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Send a signed test message to an endpoint now and report how it went',
        params: Id,
        response: withErrors({ 200: s.TestResult }),
      },
    },
    async (req) => svc.testEndpoint(adeps(), req.params.id),
  );

  app.get(
    '/alerts/deliveries',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['alerts'],
        summary: 'Recent notification messages and their delivery state, newest first',
        querystring: Type.Object({
          state: Type.Optional(Literals(['pending', 'sending', 'delivered', 'failed'])),
          page: Type.Integer({ minimum: 1, default: 1 }),
          page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: withErrors({ 200: Paged(s.DeliveryItem) }),
      },
    },
    async (req) => {
      const { page, page_size, state } = req.query;
      const r = await svc.listRecentDeliveries(adeps(), {
        state,
        limit: page_size,
        offset: (page - 1) * page_size,
      });
      return { ...r, page, page_size };
    },
  );

  // viewer is enough: a person's own subscriptions, not business data
  app.get(
    '/me/notifications',
    {
      schema: {
        tags: ['alerts'],
        summary: 'My notification subscriptions per channel',
        response: withErrors({ 200: Type.Array(s.Subscription) }),
      },
    },
    async (req) => svc.listSubscriptions(adeps(), req.principal!.name),
  );

  app.get(
    '/me/notifications/channels',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Which channels this installation can send on (a subscription needs its channel set up)',
        response: withErrors({ 200: Type.Array(s.ChannelStatus) }),
      },
    },
    async () => svc.channelStatus(adeps()),
  );

  app.put(
    '/me/notifications/:channel',
    {
      schema: {
        tags: ['alerts'],
        summary:
          'Subscribe me on a channel: minimum severity, task types, quiet hours (replaces the old one)',
        params: s.SubscriptionChannel,
        body: s.SubscriptionBody,
        response: withErrors({ 200: s.Subscription }),
      },
    },
    async (req) =>
      svc.setSubscription(adeps(), req.principal!.name, req.params.channel as 'telegram' | 'email', {
        ...req.body,
        min_severity: req.body.min_severity as Severity | undefined,
      }),
  );

  app.delete(
    '/me/notifications/:channel',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Unsubscribe me from a channel',
        params: s.SubscriptionChannel,
        response: withErrors({ 204: NoContent }),
      },
    },
    async (req, reply) => {
      await svc.deleteSubscription(adeps(), req.principal!.name, req.params.channel as 'telegram' | 'email');
      return reply.status(204).send(null);
    },
  );
}
