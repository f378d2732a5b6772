/** Error kinds domain code may raise; the HTTP layer maps each to one status code. */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'upstream'
  | 'unavailable'
  | 'config'
  | 'internal';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  upstream: 502,
  unavailable: 503,
  config: 500,
  internal: 500,
};

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly details?: unknown;

  constructor(kind: ErrorKind, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    this.details = details;
  }

  get status(): number {
    return STATUS[this.kind];
  }
}

export function statusOf(kind: ErrorKind): number {
  return STATUS[kind];
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** A message safe to show a CLI user for any thrown value. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
