import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { type AuditInsert, auditColumns, insertAudit } from './audit-log.repo.ts';

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});

afterAll(async () => {
  await tdb.drop();
});

describe('insertAudit', () => {
  it('writes a batch in one statement, keeping nulls, numbers and JSON details as given', async () => {
    // array literals quote and escape elements: none of these may be read as NULL or split
    const odd = 'NULL';
    const tricky = 'a "b", {c} \\ d';
    const base = { method: 'GET', route: '/api/v1/me', request_id: null, ip: '10.0.0.1' };
    await insertAudit(
      tdb.db.pool,
      columns([
        {
          ...base,
          actor: 'sheets',
          role: 'viewer',
          status: 200,
          latency_ms: 0.57,
          event: null,
          details: null,
        },
        { ...base, actor: tricky, role: odd, status: 204, latency_ms: 3, event: odd, details: null },
        {
          ...base,
          actor: "o'neil@example.com",
          role: null,
          method: 'POST',
          route: '/api/v1/auth/login',
          status: 401,
          latency_ms: 12.3,
          request_id: 'req-1',
          event: 'login_failed',
          details: JSON.stringify({ reason: 'bad_credentials', n: 2 }),
        },
      ]),
    );
    const { rows } = await tdb.db.pool.query(
      `SELECT actor, role, method, route, status, latency_ms::text AS latency_ms, request_id, ip, event, details
       FROM audit_log ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        ...base,
        actor: 'sheets',
        role: 'viewer',
        status: 200,
        latency_ms: '0.57',
        event: null,
        details: null,
      },
      { ...base, actor: tricky, role: odd, status: 204, latency_ms: '3.00', event: odd, details: null },
      {
        ...base,
        actor: "o'neil@example.com",
        role: null,
        method: 'POST',
        route: '/api/v1/auth/login',
        status: 401,
        latency_ms: '12.30',
        request_id: 'req-1',
        event: 'login_failed',
        details: { reason: 'bad_credentials', n: 2 },
      },
    ]);
  });
});

function columns(rows: AuditInsert[]) {
  const c = auditColumns();
  for (const r of rows) {
    for (const k of Object.keys(c) as (keyof AuditInsert)[]) (c[k] as unknown[]).push(r[k]);
  }
  return c;
}
