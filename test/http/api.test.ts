import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ env: { BODY_LIMIT_BYTES: '2048', CORS_ORIGINS: 'https://app.example' } });
  // routes only tests need, added before the app is ready
  t.app.get('/boom', async () => {
    throw new Error('secret internal detail: password=hunter2');
  });
  t.app.get('/conflict', async () => {
    throw new AppError('conflict', 'already there', { id: 7 });
  });
  t.app.post('/echo', async (req) => req.body);
});

afterAll(async () => {
  await t.close();
});

function expectErrorShape(body: unknown, code: string) {
  expect(body).toMatchObject({
    error: { code, message: expect.any(String), request_id: expect.any(String) },
  });
}

describe('authentication and roles', () => {
  it('401 without a token, in the error envelope', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(res.statusCode).toBe(401);
    expectErrorShape(res.json(), 'unauthorized');
    expect(res.json().error.request_id).toBe(res.headers['x-request-id']);
  });

  it('401 with an unknown, malformed or non-bearer token', async () => {
    for (const authorization of [
      'Bearer awa_nope',
      'Bearer',
      'Basic dXNlcjpwdw==',
      'Bearer not-an-awa-token',
    ]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
      expectErrorShape(res.json(), 'unauthorized');
    }
  });

  it('GET /api/v1/me returns the token name and role', async () => {
    const authorization = await t.bearer('ops', 'ops-me');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'token', name: 'ops-me', role: 'ops', csrf_token: null });
  });

  it('403 when the role is too low, 202 when it is enough', async () => {
    const viewer = await t.bearer('viewer');
    const ops = await t.bearer('ops');
    const admin = await t.bearer('admin');
    for (const authorization of [viewer, ops]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/agents/maintenance/run',
        headers: { authorization },
        payload: { dry_run: true },
      });
      expect(res.statusCode).toBe(403);
      expectErrorShape(res.json(), 'forbidden');
    }
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents/maintenance/run',
      headers: { authorization: admin },
      payload: { dry_run: true },
    });
    expect(ok.statusCode).toBe(202);
    expect(ok.json()).toMatchObject({ agent: 'maintenance', dry_run: true, job_id: expect.any(String) });
  });

  it('writes an audit row per authenticated request with route template and request id', async () => {
    const authorization = await t.bearer('viewer', 'auditor');
    await t.app.inject({
      method: 'GET',
      url: '/api/v1/jobs/00000000-0000-0000-0000-000000000000',
      headers: { authorization, 'x-request-id': 'audit-req-1' },
    });
    await t.app.inject({ method: 'GET', url: '/api/v1/me' }); // unauthenticated: not audited
    // the writer batches; closing flushes, but the app is still in use, so wait for the timer
    await new Promise((r) => setTimeout(r, 1300));
    const rows = await t.tdb.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('actor', '=', 'auditor')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      method: 'GET',
      route: '/api/v1/jobs/:id',
      status: 404,
      request_id: 'audit-req-1',
      role: 'viewer',
    });
  });
});

describe('request ids, headers and errors', () => {
  it('echoes a sane X-Request-ID and replaces an unsafe one', async () => {
    const a = await t.app.inject({ method: 'GET', url: '/ready', headers: { 'x-request-id': 'abc-123' } });
    expect(a.headers['x-request-id']).toBe('abc-123');
    const b = await t.app.inject({
      method: 'GET',
      url: '/ready',
      headers: { 'x-request-id': 'bad id\n<script>' },
    });
    expect(b.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const c = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(c.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['strict-transport-security']).toBeDefined();
  });

  it('answers the API with the headers JSON needs, not the page set', async () => {
    const authorization = await t.bearer('viewer');
    const ok = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } });
    // refusals answered before any route runs (401) and unknown API paths (404) carry them too
    const refused = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/v1/no-such-route',
      headers: { authorization },
    });
    for (const [res, status] of [
      [ok, 200],
      [refused, 401],
      [unknown, 404],
    ] as const) {
      expect(res.statusCode).toBe(status);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers['strict-transport-security']).toBeDefined();
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      for (const page of [
        'x-frame-options',
        'referrer-policy',
        'cross-origin-opener-policy',
        'origin-agent-cluster',
      ]) {
        expect(res.headers[page], page).toBeUndefined();
      }
    }
  });

  it('hides 5xx internals but keeps the request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'req-boom' } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      error: { code: 'internal', message: 'internal error', request_id: 'req-boom' },
    });
    expect(res.body).not.toContain('hunter2');
  });

  it('maps AppError kinds to status codes with details', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'conflict',
      message: 'already there',
      details: { id: 7 },
    });
  });

  it('404 for unknown routes in the same envelope', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expectErrorShape(res.json(), 'not_found');
    expect(res.json().error.message).toContain('/nope');
  });

  it('413 for a body over BODY_LIMIT_BYTES', async () => {
    const small = await t.app.inject({ method: 'POST', url: '/echo', payload: { a: 'x'.repeat(100) } });
    expect(small.statusCode).toBe(200);
    const big = await t.app.inject({ method: 'POST', url: '/echo', payload: { a: 'x'.repeat(5000) } });
    expect(big.statusCode).toBe(413);
    expectErrorShape(big.json(), 'payload_too_large');
  });

  it('415 for a multipart body sent to a route that takes no file', async () => {
    const authorization = await t.bearer('viewer');
    const boundary = 'x-awa-test';
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/preferences',
      headers: { authorization, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\ncontent-disposition: form-data; name="a"\r\n\r\n1\r\n--${boundary}--\r\n`,
    });
    expect(res.statusCode).toBe(415);
    expectErrorShape(res.json(), 'invalid');
  });

  it('400 with field details for invalid query parameters', async () => {
    const authorization = await t.bearer('viewer');
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/agents/runs?page_size=1000',
      headers: { authorization },
    });
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'invalid');
    expect(JSON.stringify(res.json().error.details)).toContain('page_size');
  });

  it('allows CORS only for listed origins', async () => {
    const ok = await t.app.inject({
      method: 'GET',
      url: '/health',
      headers: { origin: 'https://app.example' },
    });
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example');
    const no = await t.app.inject({
      method: 'GET',
      url: '/health',
      headers: { origin: 'https://evil.example' },
    });
    expect(no.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('without CORS_ORIGINS', () => {
  it('gives no origin CORS headers and answers a preflight 404', async () => {
    const plain = await createTestApp({ tdb: t.tdb });
    try {
      const res = await plain.app.inject({
        method: 'GET',
        url: '/health',
        headers: { origin: 'https://app.example' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const pre = await plain.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/me',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
      });
      expect(pre.statusCode).toBe(404);
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await plain.app.close();
    }
  });
});

describe('probes, metrics and docs', () => {
  it('/health reports db and storage ok', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', checks: { db: 'ok', storage: 'ok' } });
  });

  it('/metrics counts requests by route template, not raw URL', async () => {
    const authorization = await t.bearer('viewer');
    const line = /http_requests_total\{method="GET",route="\/api\/v1\/jobs\/:id",status="404"\} (\d+)/;
    const count = async () => {
      const m = line.exec((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
      return m ? Number(m[1]) : 0;
    };
    const before = await count();
    for (const id of ['11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222']) {
      await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: { authorization } });
    }
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(await count()).toBe(before + 2);
    expect(res.body).not.toContain('11111111-1111');
    expect(res.body).toContain('http_request_duration_seconds_bucket');
    expect(res.body).toContain('process_resident_memory_bytes');
  });

  it('/docs serves the UI and an OpenAPI document of the routes', async () => {
    const ui = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
    const spec = await t.app.inject({ method: 'GET', url: '/docs/json' });
    const doc = spec.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/health', '/api/v1/me', '/api/v1/agents/runs', '/api/v1/agents/{name}/run']),
    );
  });
});
