import type { Readable } from 'node:stream';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { TokenBucket } from './rate-limit.ts';
import type { Sleep } from './retry.ts';

export type HeaderMap = Record<string, string>;
export type QueryValue = string | number | boolean | undefined | null | Array<string | number>;

export interface HttpClientOptions {
  /** Names the API in errors, logs, metrics and the Redis bucket key (`keepa`, `spapi`, …). */
  api: string;
  baseUrl?: string;
  /** Per attempt: response headers and the whole body for request(); headers only for stream(). */
  timeoutMs?: number;
  /** stream(): longest silence between chunks (default: the per-attempt timeout). */
  idleTimeoutMs?: number;
  /** Attempts after the first (default 3). */
  retries?: number;
  /** Backoff ceiling for retry n is min(maxDelayMs, baseDelayMs·2^(n-1)); defaults 500 ms, 30 s. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this fails the call instead of parking a worker (default 120 s). */
  maxRetryAfterMs?: number;
  /** Token bucket; unset = no rate limit. Shared across processes when `redis` is given. */
  ratePerSecond?: number;
  /** Default 1. */
  burst?: number;
  redis?: Redis;
  /** A ready bucket instead of ratePerSecond/burst/redis. */
  limiter?: TokenBucket;
  /** Requests in flight at once for this API (default 4). */
  concurrency?: number;
  /** Sent with every attempt; a function is called per attempt (access tokens that expire). */
  headers?: HeaderMap | (() => HeaderMap | Promise<HeaderMap>);
  /** request() refuses bodies above this (default 64 MiB); downloads use stream(). */
  maxBodyBytes?: number;
  /** Secret values to scrub from messages and logs beyond the automatic ones (a token in a path). */
  secrets?: string[];
  metrics?: Metrics;
  logger?: Logger;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
}

export interface RequestOptions {
  method?: string;
  /** Joined to baseUrl; an absolute http(s) URL is used as is. */
  path?: string;
  url?: string;
  query?: Record<string, QueryValue>;
  headers?: HeaderMap;
  /** Must be replayable: retries send it again. */
  body?: string | Uint8Array | URLSearchParams;
  /** Sent as JSON with content-type application/json. */
  json?: unknown;
  signal?: AbortSignal;
  /** Non-2xx statuses to return instead of throwing (e.g. [404] for "no such ASIN"). */
  allowStatus?: number[];
  /** Overrides the client's retries; 0 for calls that must not be repeated. */
  retries?: number;
  timeoutMs?: number;
  /** Tokens this call takes from the bucket (default 1). */
  cost?: number;
}

export interface ResponseBase {
  status: number;
  headers: Headers;
  /** Final URL (after redirects), secrets redacted. */
  url: string;
  attempts: number;
}

export interface HttpResponse extends ResponseBase {
  body: Buffer;
  text(): string;
  /** Parses the body; malformed JSON throws an HttpClientError naming the API and URL. */
  json<T = unknown>(): T;
}

export interface HttpStreamResponse extends ResponseBase {
  /** Consume it to the end or destroy() it: it holds a concurrency slot until then. */
  body: Readable;
}

export interface HttpClient {
  readonly api: string;
  request(req: RequestOptions): Promise<HttpResponse>;
  stream(req: RequestOptions): Promise<HttpStreamResponse>;
}
