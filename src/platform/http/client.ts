import { performance } from 'node:perf_hooks';
import { systemClock } from '../clock.ts';
import { messageOf } from '../errors.ts';
import { silentLogger } from '../logger.ts';
import { BodyTooLarge, guardedBody, readBody, readSnippet } from './body.ts';
import { HttpClientError, type HttpClientErrorInit, type HttpFailure } from './errors.ts';
import { createTokenBucket, Semaphore } from './rate-limit.ts';
import { displayUrl, redactUrl, scrub, secretValues } from './redact.ts';
import { backoffDelay, isRetryableStatus, parseRetryAfter, realSleep } from './retry.ts';
import type {
  HttpClient,
  HttpClientOptions,
  HttpResponse,
  HttpStreamResponse,
  RequestOptions,
  ResponseBase,
} from './types.ts';
import { buildHeaders, buildUrl, networkText } from './url.ts';

export { HttpClientError, type HttpFailure, isHttpClientError } from './errors.ts';
export {
  createTokenBucket,
  MemoryTokenBucket,
  RedisTokenBucket,
  Semaphore,
  type TokenBucket,
} from './rate-limit.ts';
export { realSleep, type Sleep } from './retry.ts';
export type * from './types.ts';

type Mode = 'buffer' | 'stream';
type Attempt =
  | { ok: true; value: HttpResponse | HttpStreamResponse }
  | { ok: false; res: Response; snippet: string }
  | { ok: false; res?: undefined; reason: 'timeout' | 'network'; cause: unknown };

/** Thrown inside an attempt when the caller's signal fired; becomes an `aborted` HttpClientError. */
class Aborted extends Error {}

/**
 * The one way out to the internet: per-API timeouts, retries (429/5xx/network/timeout, exponential
 * backoff with full jitter, Retry-After honoured up to a cap), token-bucket rate limit (Redis-shared
 * when configured), bounded concurrency, per-attempt metrics, and no secrets in messages or logs.
 */
export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const { api } = opts;
  const clock = opts.clock ?? systemClock;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 120_000;
  const maxBodyBytes = opts.maxBodyBytes ?? 64 * 1024 * 1024;
  const log = (opts.logger ?? silentLogger).child({ api });
  const slots = new Semaphore(opts.concurrency ?? 4);
  let lastRedisWarning = 0;
  const limiter =
    opts.limiter ??
    (opts.ratePerSecond !== undefined
      ? createTokenBucket({
          api,
          ratePerSecond: opts.ratePerSecond,
          burst: opts.burst,
          redis: opts.redis,
          clock,
          sleep,
          onError: (err) => {
            if (Date.now() - lastRedisWarning < 60_000) return;
            lastRedisWarning = Date.now();
            log.warn({ err: messageOf(err) }, 'redis rate limit unavailable; limiting this process only');
          },
        })
      : undefined);

  const countAttempt = (status: string, startedAt: number) => {
    opts.metrics?.httpClientRequests.inc({ api, status });
    opts.metrics?.httpClientDuration.observe({ api }, (performance.now() - startedAt) / 1000);
  };

  async function run(req: RequestOptions, mode: Mode): Promise<HttpResponse | HttpStreamResponse> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = buildUrl(api, opts.baseUrl, req);
    const safeUrl = scrub(redactUrl(url), opts.secrets ?? []);
    const shown = displayUrl(url);
    const maxAttempts = 1 + Math.max(0, req.retries ?? opts.retries ?? 3);
    const timeoutMs = req.timeoutMs ?? opts.timeoutMs ?? 30_000;
    const idleTimeoutMs = opts.idleTimeoutMs ?? timeoutMs;
    // a Buffer is a valid fetch body; TS 5.9's ArrayBufferLike generics just cannot prove it
    const body = (req.json !== undefined ? JSON.stringify(req.json) : req.body) as RequestInit['body'];
    const { signal } = req;
    const known = opts.secrets ?? [];
    let secrets = [...known, ...secretValues(url, new Headers(req.headers))];

    const error = (init: Omit<HttpClientErrorInit, 'api' | 'method' | 'url'>, message: string) => {
      const c = init.cause;
      const cause =
        c instanceof Error && scrub(c.message, secrets) !== c.message
          ? new Error(scrub(c.message, secrets))
          : c;
      return new HttpClientError({ ...init, cause, api, method, url: safeUrl }, scrub(message, secrets));
    };
    const fail = (init: Omit<HttpClientErrorInit, 'api' | 'method' | 'url'>, what: string) =>
      error(
        init,
        `${api}: ${method} ${shown} failed${init.attempts > 1 ? ` after ${init.attempts} attempts` : ''}: ${what}`,
      );

    async function attempt(headers: Headers, attempts: number, release: () => void): Promise<Attempt> {
      const ctl = new AbortController();
      const onCallerAbort = () => ctl.abort(new Aborted());
      signal?.addEventListener('abort', onCallerAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        ctl.abort();
      }, timeoutMs);
      const startedAt = performance.now();
      let handedOff = false;
      try {
        const res = await fetch(url, { method, headers, body, signal: ctl.signal, redirect: 'follow' });
        const base: ResponseBase = {
          status: res.status,
          headers: res.headers,
          url: res.url ? scrub(redactUrl(new URL(res.url)), known) : safeUrl,
          attempts,
        };
        if (!res.ok && !req.allowStatus?.includes(res.status)) {
          const snippet = await readSnippet(res);
          countAttempt(String(res.status), startedAt);
          return { ok: false, res, snippet };
        }
        if (mode === 'stream') {
          clearTimeout(timer);
          countAttempt(String(res.status), startedAt);
          handedOff = true;
          let stalled = false;
          const stream = guardedBody(res, {
            idleTimeoutMs,
            onIdle: () => {
              stalled = true;
              ctl.abort();
            },
            mapError: (err) => {
              const init = { attempts, status: res.status, cause: err };
              if (signal?.aborted)
                return fail({ ...init, reason: 'aborted', cause: signal.reason }, 'aborted');
              if (stalled)
                return fail(
                  { ...init, reason: 'stalled' },
                  `download stalled: no data for ${idleTimeoutMs} ms`,
                );
              return fail({ ...init, reason: 'network' }, `download broke off: ${networkText(err)}`);
            },
            cleanup: () => {
              signal?.removeEventListener('abort', onCallerAbort);
              release();
            },
          });
          return { ok: true, value: { ...base, body: stream } };
        }
        const buf = await readBody(res, maxBodyBytes);
        countAttempt(String(res.status), startedAt);
        const json = <T>(): T => {
          try {
            return JSON.parse(buf.toString('utf8')) as T;
          } catch (err) {
            const type = res.headers.get('content-type') ?? 'no content-type';
            throw error(
              { reason: 'invalid_json', attempts, status: res.status, cause: err },
              `${api}: ${method} ${shown} returned malformed JSON (HTTP ${res.status}, ${type}, ` +
                `${buf.length} bytes): ${messageOf(err).slice(0, 120)}`,
            );
          }
        };
        return { ok: true, value: { ...base, body: buf, text: () => buf.toString('utf8'), json } };
      } catch (err) {
        if (signal?.aborted) {
          countAttempt('error', startedAt);
          throw new Aborted();
        }
        if (err instanceof BodyTooLarge) {
          countAttempt('error', startedAt);
          throw fail(
            { reason: 'too_large', attempts, cause: err },
            `response body larger than ${maxBodyBytes} bytes (use stream() for downloads)`,
          );
        }
        countAttempt(timedOut ? 'timeout' : 'error', startedAt);
        return { ok: false, reason: timedOut ? 'timeout' : 'network', cause: err };
      } finally {
        if (!handedOff) {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onCallerAbort);
        }
      }
    }

    let attempts = 0;
    try {
      for (;;) {
        attempts++;
        const release = await slots.acquire(signal);
        let out: Attempt | undefined;
        try {
          // slot first, then token: a token taken while queueing for a slot would be wasted time
          await limiter?.acquire({ cost: req.cost, signal });
          const headers = await buildHeaders(opts.headers, req);
          secrets = [...known, ...secretValues(url, headers)];
          out = await attempt(headers, attempts, release);
        } finally {
          // a download keeps its slot until its body is consumed or destroyed
          if (!(out?.ok && mode === 'stream')) release();
        }
        if (out.ok) return out.value;

        const status = out.res?.status;
        const what = out.res
          ? `HTTP ${status}`
          : out.reason === 'timeout'
            ? `timed out after ${timeoutMs} ms`
            : networkText(out.cause);
        const init = {
          reason: (out.res ? 'status' : out.reason) as HttpFailure,
          attempts,
          status,
          responseText: out.res ? out.snippet : undefined,
          cause: out.res ? undefined : out.cause,
        };
        if (status !== undefined && !isRetryableStatus(status)) throw fail(init, what);
        const retryAfterMs = out.res
          ? parseRetryAfter(out.res.headers.get('retry-after'), clock.now().getTime())
          : undefined;
        if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) {
          throw fail(
            { ...init, reason: 'retry_after_too_long', retryAfterMs },
            `${what}, server asked to retry after ${Math.ceil(retryAfterMs / 1000)} s ` +
              `(more than the ${Math.ceil(maxRetryAfterMs / 1000)} s this client waits)`,
          );
        }
        if (attempts >= maxAttempts) throw fail({ ...init, retryAfterMs }, what);
        const delayMs =
          retryAfterMs ?? backoffDelay(attempts, opts.baseDelayMs ?? 500, opts.maxDelayMs ?? 30_000, random);
        log.warn(
          { method, url: safeUrl, attempt: attempts, outcome: scrub(what, secrets), delayMs },
          'retrying',
        );
        await sleep(delayMs, signal);
      }
    } catch (err) {
      if (err instanceof HttpClientError) throw err;
      if (signal?.aborted) throw fail({ reason: 'aborted', attempts, cause: signal.reason }, 'aborted');
      throw err;
    }
  }

  return {
    api,
    request: (req) => run(req, 'buffer') as Promise<HttpResponse>,
    stream: (req) => run(req, 'stream') as Promise<HttpStreamResponse>,
  };
}
