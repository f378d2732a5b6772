import { param, type Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';

export interface AuditFilter {
  /** Part of the actor (a user's e-mail or a token's name), any case. */
  actor?: string;
  /** Part of the action: the event's name, else "METHOD /route". */
  action?: string;
  /** Inclusive bounds on the time. */
  from?: Date;
  before?: Date;
  /** events: named events only (sign-ins, user changes…); writes: events and every non-read request. */
  only?: 'events' | 'writes';
}

/** An audit row as read: id and latency as text (bigint, numeric), and the action computed (ACTION). */
export type AuditRow = Pick<
  Tables['audit_log'],
  'at' | 'actor' | 'role' | 'event' | 'method' | 'route' | 'status' | 'request_id' | 'ip'
> & {
  id: string;
  action: string;
  latency_ms: string;
  details: unknown;
};

const ACTION = `coalesce(event, method || ' ' || route)`;
const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The filter's condition, its values appended to `params`. */
function where(f: AuditFilter, params: unknown[]): string {
  const parts = ['true'];
  if (f.actor) parts.push(`actor ILIKE ${param(params, like(f.actor))}`);
  if (f.action) parts.push(`${ACTION} ILIKE ${param(params, like(f.action))}`);
  if (f.from) parts.push(`at >= ${param(params, f.from)}`);
  if (f.before) parts.push(`at < ${param(params, f.before)}`);
  if (f.only === 'events') parts.push('event IS NOT NULL');
  if (f.only === 'writes') parts.push(`(event IS NOT NULL OR method NOT IN ('GET', 'HEAD', 'OPTIONS'))`);
  return parts.join(' AND ');
}

const COLUMNS = `id::text AS id, at, actor, role, ${ACTION} AS action, event, method, route, status,
  latency_ms::text AS latency_ms, request_id, ip, details`;

export async function countAudit(q: Queryable, f: AuditFilter): Promise<number> {
  const values: unknown[] = [];
  const r = await q.query<{ n: number }>(
    `SELECT count(*) AS n FROM audit_log WHERE ${where(f, values)}`,
    values,
  );
  return Number(r.rows[0]!.n);
}

/** Newest first (or oldest first), ties by id, so paging never shows a row twice. */
export async function pageAudit(
  q: Queryable,
  f: AuditFilter,
  order: 'asc' | 'desc',
  limit: number,
  offset: number,
): Promise<AuditRow[]> {
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const values: unknown[] = [];
  const r = await q.query<AuditRow>(
    `SELECT ${COLUMNS} FROM audit_log WHERE ${where(f, values)}
    ORDER BY at ${dir}, id ${dir} LIMIT ${param(values, limit)} OFFSET ${param(values, offset)}`,
    values,
  );
  return r.rows;
}

/**
 * The whole filtered set in batches, keyset-paged on (at, id): no held transaction, no OFFSET cost.
 * Each batch is a query of its own, so it takes a Queryable (the pool), not a cursor's connection.
 */
export async function* streamAudit(
  q: Queryable,
  f: AuditFilter,
  order: 'asc' | 'desc',
  batch: number,
): AsyncGenerator<AuditRow[]> {
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const cmp = order === 'asc' ? '>' : '<';
  // the time as Postgres text: a JS Date keeps milliseconds only, and rows differ in microseconds
  let after: { at: string; id: string } | undefined;
  for (;;) {
    const values: unknown[] = [];
    const cond = where(f, values);
    const past = after
      ? `(at, id) ${cmp} (${param(values, after.at)}::timestamptz, ${param(values, after.id)}::bigint)`
      : 'true';
    const r = await q.query<AuditRow & { at_key: string }>(
      `SELECT ${COLUMNS}, at::text AS at_key
      FROM audit_log WHERE ${cond} AND ${past}
      ORDER BY at ${dir}, id ${dir} LIMIT ${param(values, batch)}`,
      values,
    );
    if (r.rows.length === 0) return;
    yield r.rows;
    const last = r.rows[r.rows.length - 1]!;
    after = { at: last.at_key, id: last.id };
    if (r.rows.length < batch) return;
  }
}

/** One audit row as written: every column of the table but its id and time; `details` is JSON text. */
export type AuditInsert = Pick<
  Tables['audit_log'],
  'actor' | 'role' | 'method' | 'route' | 'status' | 'request_id' | 'ip' | 'event'
> & {
  latency_ms: string | number;
  details: string | null;
};

/** A batch of audit rows held column by column: what the INSERT takes, with no object per row. */
export type AuditColumns = { [K in keyof AuditInsert]: AuditInsert[K][] };

export function auditColumns(): AuditColumns {
  return {
    actor: [],
    role: [],
    method: [],
    route: [],
    status: [],
    latency_ms: [],
    request_id: [],
    ip: [],
    event: [],
    details: [],
  };
}

/**
 * Appends a batch in one statement with one array per column: a multi-row VALUES list would bind
 * ten parameters per row (5,000 for a full batch), which costs more to build, send and parse.
 */
export async function insertAudit(q: Queryable, c: AuditColumns): Promise<void> {
  const a = arrayLiteral;
  await q.query(
    `INSERT INTO audit_log (actor, role, method, route, status, latency_ms, request_id, ip, event, details)
    SELECT actor, role, method, route, status, latency_ms, request_id, ip, event, details::jsonb
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
      $5::int[], $6::numeric[], $7::text[], $8::text[],
      $9::text[], $10::text[])
      AS u(actor, role, method, route, status, latency_ms, request_id, ip, event, details)`,
    [
      a(c.actor),
      a(c.role),
      a(c.method),
      a(c.route),
      a(c.status),
      a(c.latency_ms),
      a(c.request_id),
      a(c.ip),
      a(c.event),
      a(c.details),
    ],
  );
}

const NEEDS_ESCAPE = /["\\]/;

/**
 * The array literal node-pg writes for a JS array (every element quoted, NULL unquoted), built here
 * because node-pg runs two regular expressions over every element and audit values almost never need
 * escaping: one test each is a quarter of the work, at thousands of rows a second.
 */
function arrayLiteral(values: readonly (string | number | null)[]): string {
  let s = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) s += ',';
    if (v === null || v === undefined) {
      s += 'NULL';
      continue;
    }
    const t = String(v);
    s += `"${NEEDS_ESCAPE.test(t) ? t.replace(/["\\]/g, '\\$&') : t}"`;
  }
  return `${s}}`;
}
