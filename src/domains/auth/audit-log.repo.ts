import { type Expression, type Insertable, type Kysely, type SqlBool, sql } from 'kysely';
import type { AuditLogTable, Database } from '../../platform/db/schema.ts';

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

/** One audit row as written: every column of the table but its id and time; `details` is JSON text. */
export type AuditInsert = Required<Omit<Insertable<AuditLogTable>, 'id' | 'at'>> & {
  event: string | null;
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
export async function insertAudit(db: Kysely<Database>, c: AuditColumns): Promise<void> {
  const a = arrayLiteral;
  await sql`INSERT INTO audit_log (actor, role, method, route, status, latency_ms, request_id, ip, event, details)
    SELECT actor, role, method, route, status, latency_ms, request_id, ip, event, details::jsonb
    FROM unnest(${a(c.actor)}::text[], ${a(c.role)}::text[], ${a(c.method)}::text[], ${a(c.route)}::text[],
      ${a(c.status)}::int[], ${a(c.latency_ms)}::numeric[], ${a(c.request_id)}::text[], ${a(c.ip)}::text[],
      ${a(c.event)}::text[], ${a(c.details)}::text[])
      AS u(actor, role, method, route, status, latency_ms, request_id, ip, event, details)`.execute(db);
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
