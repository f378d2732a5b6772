import { AppError } from '../errors.ts';

export type HttpFailure =
  | 'status' // a non-2xx answer (after retries when retryable)
  | 'timeout' // no answer (headers + body) within timeoutMs
  | 'network' // connection refused/reset, DNS, TLS
  | 'retry_after_too_long' // the server asked to wait longer than maxRetryAfterMs
  | 'aborted' // the caller's signal
  | 'invalid_json'
  | 'too_large' // request() body above maxBodyBytes: use stream()
  | 'stalled'; // stream(): no data for idleTimeoutMs

export interface HttpClientErrorInit {
  api: string;
  method: string;
  /** The URL with secret query values replaced by `[redacted]`. */
  url: string;
  reason: HttpFailure;
  attempts: number;
  status?: number;
  retryAfterMs?: number;
  /** Start of the response body of a failed status (≤ 2 KB), for diagnosis; never in the message. */
  responseText?: string;
  cause?: unknown;
}

/**
 * Final failure of an outbound call; the message says which API, which URL and what happened.
 * Shaped like AppError (`kind` upstream, `details`) but not one: its `status` is the upstream's
 * HTTP status, while AppError.status is ours. `statusCode` 502 makes the HTTP error handler answer
 * 502 for one that escapes a route; toAppError() converts explicitly.
 */
export class HttpClientError extends Error {
  readonly kind = 'upstream' as const;
  readonly statusCode = 502;
  readonly details: Record<string, unknown>;
  readonly api: string;
  readonly method: string;
  readonly url: string;
  readonly reason: HttpFailure;
  readonly attempts: number;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly responseText?: string;

  constructor(init: HttpClientErrorInit, message: string) {
    super(message);
    this.details = {
      api: init.api,
      url: init.url,
      reason: init.reason,
      status: init.status,
      attempts: init.attempts,
      retryAfterMs: init.retryAfterMs,
    };
    this.name = 'HttpClientError';
    this.api = init.api;
    this.method = init.method;
    this.url = init.url;
    this.reason = init.reason;
    this.attempts = init.attempts;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.responseText = init.responseText;
    if (init.cause !== undefined) this.cause = init.cause;
  }

  toAppError(): AppError {
    return new AppError('upstream', this.message, this.details);
  }
}

export function isHttpClientError(err: unknown): err is HttpClientError {
  return err instanceof HttpClientError;
}
