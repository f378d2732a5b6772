import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level } from 'pino';
import type { Logger } from '../platform/logger.ts';

/** What req.log is here (request-logger.ts, or a pino child): Fastify's type lacks isLevelEnabled. */
export type RequestLog = FastifyBaseLogger & { isLevelEnabled(level: string): boolean };

/**
 * Fastify's childLoggerFactory: req.log becomes a pino child (bound to the request id) only when
 * something is written at an enabled level. Fastify makes a child for every request, its bindings
 * serialised and run through redaction at once, although at LOG_LEVEL=warn almost none writes a line.
 * A route with its own log level or serializers gets a real child straight away.
 */
export function requestLogger(
  this: unknown,
  logger: FastifyBaseLogger,
  bindings: Bindings,
  opts: ChildLoggerOptions,
): FastifyBaseLogger {
  for (const _ in opts) return logger.child(bindings, opts);
  return new RequestLogger(logger as Logger, bindings);
}

class RequestLogger implements FastifyBaseLogger {
  private real?: Logger;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
  ) {}

  /** The pino child every line goes through, made once. */
  private made(): Logger {
    this.real ??= this.parent.child(this.bindings);
    return this.real;
  }

  get level(): string {
    return (this.real ?? this.parent).level;
  }

  set level(level: string) {
    this.made().level = level;
  }

  isLevelEnabled(level: string): boolean {
    return (this.real ?? this.parent).isLevelEnabled(level);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.made().child(bindings, options);
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  private write(level: Level, args: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    const child = this.made();
    (child[level] as (...a: unknown[]) => void).apply(child, args);
  }
}
