import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import { BOM, csvLine } from '../../platform/tabular/csv-export.ts';
import * as repo from './audit-log.repo.ts';

/** Who did what, when (SPEC §14): the audit log filtered and paged for the Team page, and as CSV. */

export interface AuditQuery {
  actor?: string;
  action?: string;
  /** First day (YYYY-MM-DD, UTC) included. */
  from?: string;
  /** Last day (YYYY-MM-DD, UTC) included. */
  to?: string;
  /** events | writes (the route's schema allows only these) */
  only?: string;
  /** asc | desc */
  order?: string;
}

const orderOf = (q: AuditQuery) => (q.order === 'asc' ? 'asc' : 'desc');

const DAY_MS = 86_400_000;

function day(field: 'from' | 'to', v: string): Date {
  const d = new Date(`${v}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
    throw new AppError('invalid', `${field} "${v}" is not a day such as 2026-03-01`, { field, value: v });
  }
  return d;
}

export function toFilter(q: AuditQuery): repo.AuditFilter {
  const from = q.from ? day('from', q.from) : undefined;
  const to = q.to ? day('to', q.to) : undefined;
  if (from && to && from > to) {
    throw new AppError('invalid', `from (${q.from}) is after to (${q.to}): the range would be empty`, {
      field: 'from',
      value: q.from,
    });
  }
  return {
    actor: q.actor?.trim() || undefined,
    action: q.action?.trim() || undefined,
    from,
    before: to ? new Date(to.getTime() + DAY_MS) : undefined,
    only: q.only === 'events' || q.only === 'writes' ? q.only : undefined,
  };
}

export async function listAudit(db: Db, q: AuditQuery & { page: number; page_size: number }) {
  const f = toFilter(q);
  const [total, items] = await Promise.all([
    repo.countAudit(db.pool, f),
    repo.pageAudit(db.pool, f, orderOf(q), q.page_size, (q.page - 1) * q.page_size),
  ]);
  return { total, page: q.page, page_size: q.page_size, items: items.map(shape) };
}

function shape(r: repo.AuditRow) {
  return {
    id: Number(r.id),
    at: r.at,
    actor: r.actor,
    role: r.role,
    action: r.action,
    event: r.event,
    method: r.method,
    route: r.route,
    status: r.status,
    latency_ms: Number(r.latency_ms),
    request_id: r.request_id,
    ip: r.ip,
    details: (r.details ?? null) as Record<string, unknown> | null,
  };
}

export const AUDIT_CSV_COLUMNS = [
  'at',
  'actor',
  'role',
  'action',
  'method',
  'route',
  'status',
  'latency_ms',
  'request_id',
  'ip',
  'details',
] as const;

/** Checked before anything is read (bad parameters are a 400, not a broken download), then streamed. */
export function exportAuditCsv(db: Db, q: AuditQuery, now: Date, batch = 2000) {
  const f = toFilter(q);
  async function* lines(): AsyncGenerator<string> {
    yield BOM + csvLine(AUDIT_CSV_COLUMNS);
    for await (const rows of repo.streamAudit(db.pool, f, orderOf(q), batch)) {
      yield rows
        .map((r) => {
          const s = shape(r);
          return csvLine(
            AUDIT_CSV_COLUMNS.map((c) =>
              c === 'details' ? (s.details ? JSON.stringify(s.details) : null) : s[c],
            ),
          );
        })
        .join('');
    }
  }
  return { filename: `awa-audit-${now.toISOString().slice(0, 10)}.csv`, lines: lines() };
}
