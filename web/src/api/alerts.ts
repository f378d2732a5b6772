import { queryOptions } from '@tanstack/react-query';
import { apiClient, unwrap } from './client.ts';
import type { paths } from './schema';
import type { GetResult, PostBody, PostResult } from './types.ts';

/** Notifications (SPEC §11): my subscriptions per channel, webhook endpoints (admin), deliveries. */

export type Subscription = GetResult<'/api/v1/me/notifications'>[number];
export type SubscriptionChannel = Subscription['channel'];
export type ChannelStatus = GetResult<'/api/v1/me/notifications/channels'>[number];
type PutSubscription = paths['/api/v1/me/notifications/{channel}']['put'];
export type SubscriptionBody = NonNullable<PutSubscription['requestBody']>['content']['application/json'];
export type WebhookEndpoint = GetResult<'/api/v1/alerts/webhooks'>[number];
export type NewWebhookBody = PostBody<'/api/v1/alerts/webhooks'>;
export type CreatedWebhook = PostResult<'/api/v1/alerts/webhooks'>;
export type WebhookTest = PostResult<'/api/v1/alerts/webhooks/{id}/test'>;
export type Delivery = GetResult<'/api/v1/alerts/deliveries'>['items'][number];

/** What a subscription or an endpoint may be limited to: the inbox's task types and two system alerts. */
export const SYSTEM_ALERT_TYPES = ['spapi_credentials', 'queue_backlog'] as const;

export const ALERTS_KEY = ['alerts'] as const;

export const subscriptionsQuery = queryOptions({
  queryKey: [...ALERTS_KEY, 'mine'],
  queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/me/notifications', { signal })),
});

export const channelsQuery = queryOptions({
  queryKey: [...ALERTS_KEY, 'channels'],
  queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/me/notifications/channels', { signal })),
  staleTime: 5 * 60_000,
});

export const webhooksQuery = queryOptions({
  queryKey: [...ALERTS_KEY, 'webhooks'],
  queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/alerts/webhooks', { signal })),
});

export const deliveriesQuery = queryOptions({
  queryKey: [...ALERTS_KEY, 'deliveries'],
  queryFn: ({ signal }) =>
    unwrap(
      apiClient.GET('/api/v1/alerts/deliveries', { params: { query: { page: 1, page_size: 20 } }, signal }),
    ),
  staleTime: 10_000,
});

const channel = (c: SubscriptionChannel) => ({ params: { path: { channel: c } } });
const endpoint = (id: number) => ({ params: { path: { id } } });

export const alertsApi = {
  subscribe: (c: SubscriptionChannel, body: SubscriptionBody) =>
    unwrap(apiClient.PUT('/api/v1/me/notifications/{channel}', { ...channel(c), body })),
  unsubscribe: (c: SubscriptionChannel) =>
    unwrap(apiClient.DELETE('/api/v1/me/notifications/{channel}', channel(c))),
  createWebhook: (body: NewWebhookBody) => unwrap(apiClient.POST('/api/v1/alerts/webhooks', { body })),
  deleteWebhook: (id: number) => unwrap(apiClient.DELETE('/api/v1/alerts/webhooks/{id}', endpoint(id))),
  testWebhook: (id: number) => unwrap(apiClient.POST('/api/v1/alerts/webhooks/{id}/test', endpoint(id))),
};
