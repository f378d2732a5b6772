/**
 * SP-API Notifications API v1, the parts AWA needs:
 * - GET/POST /notifications/v1/destinations: grantless (the application's own resources; token from
 *   LWA's client-credentials grant, scope sellingpartnerapi::notifications); POST takes {name,
 *   resourceSpecification: {sqs: {arn}}} and answers {payload: Destination}.
 * - GET/POST /notifications/v1/subscriptions/{notificationType}: the seller's token; POST takes
 *   {payloadVersion, destinationId}, answers {payload: Subscription}, or 409 when one exists already.
 * Usage plan of each: 1 request/s, burst 5. A refused call answers an ErrorList {errors}.
 */
import { NOTIFICATIONS_SCOPE } from '../../platform/amazon/lwa.ts';
import { createSpApi, type SpApiEnv, spApiErrorText } from '../../platform/amazon/spapi.ts';
import type { Config } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import type { HttpClient } from '../../platform/http/client.ts';

export const ANY_OFFER_CHANGED = 'ANY_OFFER_CHANGED';
const PLAN = { ratePerSecond: 1, burst: 5 };
const DESTINATIONS = '/notifications/v1/destinations';
const SUBSCRIPTIONS = '/notifications/v1/subscriptions';

export interface Destination {
  destinationId: string;
  name: string;
  arn: string | null;
}

export interface Subscription {
  subscriptionId: string;
  destinationId: string;
  payloadVersion: string;
}

export interface NotificationsClient {
  destinations(): Promise<Destination[]>;
  createDestination(name: string, arn: string): Promise<Destination>;
  /** The seller's subscription to the type; null when there is none (404). */
  subscription(type: string): Promise<Subscription | null>;
  /** Creates it; `existed` when Amazon answered 409 (then the existing one is read back). */
  subscribe(type: string, destinationId: string): Promise<{ subscription: Subscription; existed: boolean }>;
}

type Obj = Record<string, unknown>;

function destinationOf(d: Obj): Destination {
  const sqs = ((d.resource as Obj | undefined)?.sqs as Obj | undefined) ?? {};
  return {
    destinationId: String(d.destinationId ?? ''),
    name: String(d.name ?? ''),
    arn: typeof sqs.arn === 'string' ? sqs.arn : null,
  };
}

function subscriptionOf(s: Obj): Subscription {
  return {
    subscriptionId: String(s.subscriptionId ?? ''),
    destinationId: String(s.destinationId ?? ''),
    payloadVersion: String(s.payloadVersion ?? ''),
  };
}

function payload<T>(res: { json<U>(): U | undefined; status: number }, what: string): T {
  const p = res.json<{ payload?: T }>()?.payload;
  if (p === undefined)
    throw new AppError('upstream', `Notifications API: ${what} answered without a payload`);
  return p;
}

/** `grantless` carries the client-credentials token, `seller` the seller's (refresh-token grant). */
export function createNotificationsClient(grantless: HttpClient, seller: HttpClient): NotificationsClient {
  const client: NotificationsClient = {
    async destinations() {
      const res = await grantless.request({ method: 'GET', path: DESTINATIONS });
      return payload<Obj[]>(res, 'getDestinations').map(destinationOf);
    },
    async createDestination(name, arn) {
      const res = await grantless.request({
        method: 'POST',
        path: DESTINATIONS,
        json: { name, resourceSpecification: { sqs: { arn } } },
        // a create must not be repeated blindly: the next run finds the destination by its ARN
        retries: 0,
      });
      return destinationOf(payload<Obj>(res, 'createDestination'));
    },
    async subscription(type) {
      const res = await seller.request({
        method: 'GET',
        path: `${SUBSCRIPTIONS}/${type}`,
        allowStatus: [404],
      });
      return res.status === 404 ? null : subscriptionOf(payload<Obj>(res, 'getSubscription'));
    },
    async subscribe(type, destinationId) {
      const res = await seller.request({
        method: 'POST',
        path: `${SUBSCRIPTIONS}/${type}`,
        json: { payloadVersion: '1.0', destinationId },
        allowStatus: [409],
        retries: 0,
      });
      if (res.status !== 409)
        return { subscription: subscriptionOf(payload<Obj>(res, 'createSubscription')), existed: false };
      const existing = await client.subscription(type);
      if (!existing) {
        throw new AppError(
          'upstream',
          `Notifications API: createSubscription answered 409 but getSubscription finds none (${spApiErrorText(res.text())})`,
        );
      }
      return { subscription: existing, existed: true };
    },
  };
  return client;
}

/** The client for this configuration (call only when the SP-API credentials are set). */
export function notificationsClientFor(config: Config, env: SpApiEnv = {}): NotificationsClient {
  const spApi = createSpApi(config, env);
  return createNotificationsClient(
    spApi.grantless('notifications-destinations', PLAN, NOTIFICATIONS_SCOPE),
    spApi.operation('notifications-subscriptions', PLAN),
  );
}
