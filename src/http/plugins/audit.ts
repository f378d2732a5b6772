import { auditColumns, insertAudit } from '../../domains/auth/audit-log.repo.ts';
import type { Queryable } from '../../platform/db/queryable.ts';
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
 * Audit rows are buffered and written in one INSERT per batch (every second or 500 rows): one INSERT
 * per request would cost more than the request itself at thousands of requests per second.
 */
export class AuditWriter {
  // column by column: a request adds ten values, not an object kept alive until the flush
  private cols = auditColumns();
  private timer?: NodeJS.Timeout;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Queryable,
    private readonly log: Logger,
    private readonly maxBatch = 500,
  ) {}

  add(e: AuditEntry): void {
    const c = this.cols;
    c.actor.push(e.actor);
    c.role.push(e.role);
    c.method.push(e.method);
    c.route.push(e.route);
    c.status.push(e.status);
    c.latency_ms.push(e.latency_ms);
    c.request_id.push(e.request_id);
    c.ip.push(e.ip);
    c.event.push(e.event ?? null);
    c.details.push(e.details ? JSON.stringify(e.details) : null);
    if (c.actor.length >= this.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), 1000).unref();
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const cols = this.cols;
    const rows = cols.actor.length;
    if (rows === 0) return this.pending;
    this.cols = auditColumns();
    this.pending = this.pending.then(() =>
      insertAudit(this.db, cols).catch((err) => this.log.error({ err, rows }, 'audit log write failed')),
    );
    return this.pending;
  }
}
