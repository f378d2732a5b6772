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

/**
 * The structured context of a bad input value: which field (as the service names it, e.g.
 * `currency`), the value given and the rule it broke. The message says the same in words, naming
 * the field plainly; the CLI names it as its flag (`--currency`), the HTTP API as its body field.
 */
export interface FieldProblem {
  field: string;
  value: unknown;
  rule: string;
}

/** An `invalid` error about one input field: `${field} ${text}` plus the FieldProblem as details. */
export function invalidField(field: string, value: unknown, rule: string, text: string): AppError {
  const problem: FieldProblem = { field, value, rule };
  return new AppError('invalid', `${field} ${text}`, problem);
}

export function fieldProblemOf(err: AppError): FieldProblem | undefined {
  const d = err.details as Partial<FieldProblem> | undefined;
  return d && typeof d.field === 'string' && typeof d.rule === 'string' ? (d as FieldProblem) : undefined;
}

/** A message safe to show a CLI user for any thrown value. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
