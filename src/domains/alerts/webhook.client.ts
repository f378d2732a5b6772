import { createHmac, randomBytes } from 'node:crypto';
import { messageOf } from '../../platform/errors.ts';
import { createHttpClient, type HttpClient, isHttpClientError } from '../../platform/http/client.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { Payload, SendOutcome } from './alerts.types.ts';

/** A new endpoint secret: `whsec_` + base64 of 24 random bytes (Standard Webhooks, "Signature scheme"). */
export const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/**
 * Standard Webhooks v1 signature: base64 HMAC-SHA256 over `id.timestamp.body`, keyed with the
 * base64-decoded part of the secret after `whsec_`; the header value is `v1,<signature>`.
 */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export interface WebhookClient {
  send(url: string, secret: string, key: string, payload: Payload, kind: string): Promise<SendOutcome>;
}

export function createWebhookClient(opts: { metrics?: Metrics; log?: Logger }): WebhookClient {
  const http: HttpClient = createHttpClient({
    api: 'webhook',
    // one attempt per delivery: retries follow the outbox's schedule, not this process's lifetime
    retries: 0,
    timeoutMs: 15_000,
    concurrency: 8,
    metrics: opts.metrics,
    logger: opts.log,
  });
  return {
    async send(url, secret, key, payload, kind) {
      // real time, not the injected clock: receivers check webhook-timestamp against their own clocks
      const now = new Date();
      const timestamp = Math.floor(now.getTime() / 1000);
      const body = JSON.stringify({
        type: kind === 'test' ? 'alerts.test' : 'alerts.notification',
        timestamp: now.toISOString(),
        data: payload.data,
      });
      try {
        await http.request({
          method: 'POST',
          url,
          body,
          headers: {
            'content-type': 'application/json',
            // the same id on every attempt is what lets a receiver drop a repeat
            'webhook-id': key,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': sign(secret, key, timestamp, body),
          },
        });
        return { ok: true };
      } catch (err) {
        const status = isHttpClientError(err) ? err.status : undefined;
        const error = `webhook: ${messageOf(err)}`;
        // 410 Gone: the receiver says this endpoint is no more (Standard Webhooks: disable it)
        if (status === 410)
          return { ok: false, permanent: true, error, disable: 'the endpoint answered 410 Gone' };
        return { ok: false, permanent: false, error };
      }
    },
  };
}
