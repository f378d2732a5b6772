import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { Logger } from '../../platform/logger.ts';

export interface AuditEntry {
  actor: string;
  role: string | null;
  method: string;
  route: string;
  status: number;
  latency_ms: number;
  request_id: string | null;
  ip: string | null;
  /** An event's name (login, login_failed, logout…); null for a plain request. */
  event?: string | null;
  /** What the event was about; never a password or a token. */
  details?: Record<string, unknown> | null;
}

/**
 * Audit rows are buffered and written in multi-row inserts (every second or 500 rows): one INSERT
 * per request would cost more than the request itself at thousands of requests per second.
 */
export class AuditWriter {
  private buf: AuditEntry[] = [];
  private timer?: NodeJS.Timeout;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: Logger,
    private readonly maxBatch = 500,
  ) {}

  add(e: AuditEntry): void {
    this.buf.push(e);
    if (this.buf.length >= this.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), 1000).unref();
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.buf;
    this.buf = [];
    if (rows.length === 0) return this.pending;
    this.pending = this.pending.then(() =>
      this.db
        .insertInto('audit_log')
        // one shape for every row: a multi-row INSERT lists each column once
        .values(
          rows.map((r) => ({
            ...r,
            event: r.event ?? null,
            details: r.details ? JSON.stringify(r.details) : null,
          })),
        )
        .execute()
        .then(() => undefined)
        .catch((err) => this.log.error({ err, rows: rows.length }, 'audit log write failed')),
    );
    return this.pending;
  }
}
