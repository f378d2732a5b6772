import pino, { type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  role?: string;
  pretty?: boolean;
  /** File descriptor to write to: 1 for servers; 2 for CLI commands, whose stdout is their output. */
  fd?: 1 | 2;
}

/**
 * JSON lines on stdout (Loki-friendly); human-readable only when a person is watching a TTY.
 * Secrets never reach the log: known secret-bearing fields are redacted.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const fd = opts.fd ?? 1;
  const pretty = opts.pretty ?? Boolean((fd === 1 ? process.stdout : process.stderr).isTTY);
  return pino(
    {
      level: opts.level ?? 'info',
      base: { service: 'awa', role: opts.role ?? 'cli' },
      redact: {
        paths: [
          'req.headers.authorization',
          'token',
          'password',
          '*.password',
          'secret',
          'headers.authorization',
        ],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
      transport: pretty
        ? {
            target: 'pino-pretty',
            options: { colorize: true, translateTime: 'SYS:HH:MM:ss', destination: fd },
          }
        : undefined,
    },
    pretty ? undefined : pino.destination({ fd, sync: fd === 2 }),
  );
}

/** A logger that writes nothing, for tests and quiet CLI runs. */
export const silentLogger: Logger = pino({ level: 'silent' });
