import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

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

export interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  role: string | null;
  action: string;
  event: string | null;
  method: string;
  route: string;
  status: number;
  latency_ms: string;
  request_id: string | null;
  ip: string | null;
  details: unknown;
}

const ACTION = sql<string>`coalesce(event, method || ' ' || route)`;
const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function where(f: AuditFilter): Expression<SqlBool> {
  const parts = [sql<SqlBool>`true`];
  if (f.actor) parts.push(sql`actor ILIKE ${like(f.actor)}`);
  if (f.action) parts.push(sql`${ACTION} ILIKE ${like(f.action)}`);
  if (f.from) parts.push(sql`at >= ${f.from}`);
  if (f.before) parts.push(sql`at < ${f.before}`);
  if (f.only === 'events') parts.push(sql`event IS NOT NULL`);
  if (f.only === 'writes') parts.push(sql`(event IS NOT NULL OR method NOT IN ('GET', 'HEAD', 'OPTIONS'))`);
  return sql<SqlBool>`${sql.join(parts, sql` AND `)}`;
}

const COLUMNS = sql`id::text AS id, at, actor, role, ${ACTION} AS action, event, method, route, status,
  latency_ms::text AS latency_ms, request_id, ip, details`;

export async function countAudit(db: Kysely<Database>, f: AuditFilter): Promise<number> {
  const r = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE ${where(f)}`.execute(db);
  return Number(r.rows[0]!.n);
}

/** Newest first (or oldest first), ties by id, so paging never shows a row twice. */
export async function pageAudit(
  db: Kysely<Database>,
  f: AuditFilter,
  order: 'asc' | 'desc',
  limit: number,
  offset: number,
): Promise<AuditRow[]> {
  const dir = sql.raw(order === 'asc' ? 'ASC' : 'DESC');
  const r = await sql<AuditRow>`SELECT ${COLUMNS} FROM audit_log WHERE ${where(f)}
    ORDER BY at ${dir}, id ${dir} LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return r.rows;
}

/** The whole filtered set in batches, keyset-paged on (at, id): no held transaction, no OFFSET cost. */
export async function* streamAudit(
  db: Kysely<Database>,
  f: AuditFilter,
  order: 'asc' | 'desc',
  batch: number,
): AsyncGenerator<AuditRow[]> {
  const dir = sql.raw(order === 'asc' ? 'ASC' : 'DESC');
  const cmp = sql.raw(order === 'asc' ? '>' : '<');
  // the time as Postgres text: a JS Date keeps milliseconds only, and rows differ in microseconds
  let after: { at: string; id: string } | undefined;
  for (;;) {
    const past = after ? sql`(at, id) ${cmp} (${after.at}::timestamptz, ${after.id}::bigint)` : sql`true`;
    const r = await sql<AuditRow & { at_key: string }>`SELECT ${COLUMNS}, at::text AS at_key
      FROM audit_log WHERE ${where(f)} AND ${past}
      ORDER BY at ${dir}, id ${dir} LIMIT ${batch}`.execute(db);
    if (r.rows.length === 0) return;
    yield r.rows;
    const last = r.rows[r.rows.length - 1]!;
    after = { at: last.at_key, id: last.id };
    if (r.rows.length < batch) return;
  }
}
