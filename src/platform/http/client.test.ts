import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeTime, readRequestBody, startServer, type TestServer } from '../../../test/helpers/http.ts';
import { freePort } from '../../../test/helpers/net.ts';
import { Metrics } from '../metrics.ts';
import { createHttpClient, HttpClientError, type HttpClientOptions } from './client.ts';

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

function client(baseUrl: string, extra: Partial<HttpClientOptions> = {}) {
  const time = fakeTime();
  const http = createHttpClient({
    api: 'keepa',
    baseUrl,
    retries: 3,
    baseDelayMs: 100,
    maxDelayMs: 10_000,
    timeoutMs: 5_000,
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    ...extra,
  });
  return { http, time };
}

async function failure(p: Promise<unknown>): Promise<HttpClientError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpClientError);
  return err as HttpClientError;
}

async function counter(metrics: Metrics): Promise<Record<string, number>> {
  const m = await metrics.registry.getSingleMetric('awa_http_client_requests_total')!.get();
  return Object.fromEntries(m.values.map((v) => [`${v.labels.api}:${v.labels.status}`, v.value]));
}

describe('retries', () => {
  it('honours Retry-After in seconds on 429', async () => {
    const srv = await serve((_req, res, n) => {
      if (n === 1) res.writeHead(429, { 'retry-after': '7' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const { http, time } = client(srv.url);
    const res = await http.request({ path: '/product' });
    expect(res.json()).toEqual({ ok: true });
    expect(res.attempts).toBe(2);
    expect(time.sleeps).toEqual([7000]);
  });

  it('honours Retry-After as an HTTP-date', async () => {
    const { http, time } = client('');
    const srv = await serve((_req, res, n) => {
      const at = new Date(time.nowMs() + 12_000).toUTCString();
      if (n === 1) res.writeHead(503, { 'retry-after': at }).end();
      else res.end('done');
    });
    const res = await http.request({ url: `${srv.url}/x` });
    expect(res.text()).toBe('done');
    expect(time.sleeps).toEqual([12_000]);
  });

  it('fails clearly instead of sleeping when Retry-After exceeds the cap', async () => {
    const srv = await serve((_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end());
    const { http, time } = client(srv.url, { maxRetryAfterMs: 60_000 });
    const err = await failure(http.request({ path: '/product' }));
    expect(err.reason).toBe('retry_after_too_long');
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(err.attempts).toBe(1);
    expect(err.message).toBe(
      `keepa: GET ${srv.url}/product failed: HTTP 429, server asked to retry after 3600 s ` +
        '(more than the 60 s this client waits)',
    );
    expect(srv.hits).toBe(1);
    expect(time.sleeps).toEqual([]);
  });

  it('retries 5xx with exponential backoff and full jitter, then succeeds', async () => {
    const codes = [503, 502, 500];
    const srv = await serve((_req, res, n) => res.writeHead(codes[n - 1] ?? 200).end(`attempt ${n}`));
    const { http, time } = client(srv.url);
    const res = await http.request({ path: 'p' });
    expect(res.text()).toBe('attempt 4');
    expect(res.attempts).toBe(4);
    // random() = 0.5 of the ceilings 100, 200, 400
    expect(time.sleeps).toEqual([50, 100, 200]);
  });

  it('stops at the retry limit with the attempt count in the error', async () => {
    const srv = await serve((_req, res) => res.writeHead(503).end('upstream overloaded'));
    const { http } = client(srv.url);
    const err = await failure(http.request({ path: '/product' }));
    expect(err.message).toBe(`keepa: GET ${srv.url}/product failed after 4 attempts: HTTP 503`);
    expect(err).toMatchObject({ api: 'keepa', status: 503, attempts: 4, reason: 'status', kind: 'upstream' });
    expect(err.responseText).toBe('upstream overloaded');
    expect(srv.hits).toBe(4);
  });

  it('does not retry a 404, and returns it when allowed', async () => {
    const srv = await serve((_req, res) => res.writeHead(404).end('no such asin'));
    const { http, time } = client(srv.url);
    const err = await failure(http.request({ path: '/product' }));
    expect(err.message).toBe(`keepa: GET ${srv.url}/product failed: HTTP 404`);
    expect(err.attempts).toBe(1);
    expect(srv.hits).toBe(1);
    expect(time.sleeps).toEqual([]);
    const res = await http.request({ path: '/product', allowStatus: [404] });
    expect(res.status).toBe(404);
    expect(res.text()).toBe('no such asin');
  });

  it('times out a server that never answers, and retries', async () => {
    const srv = await serve(() => {}); // never responds
    const metrics = new Metrics();
    const { http } = client(srv.url, { timeoutMs: 200, retries: 1, metrics });
    const t0 = performance.now();
    const err = await failure(http.request({ path: '/slow' }));
    const took = performance.now() - t0;
    expect(err.reason).toBe('timeout');
    expect(err.attempts).toBe(2);
    expect(err.message).toBe(`keepa: GET ${srv.url}/slow failed after 2 attempts: timed out after 200 ms`);
    expect(srv.hits).toBe(2);
    expect(took).toBeGreaterThanOrEqual(350);
    expect(took).toBeLessThan(5_000);
    expect(await counter(metrics)).toEqual({ 'keepa:timeout': 2 });
  });

  it('times out a body that stops half-way', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200);
      res.write('{"partial":');
    });
    const { http } = client(srv.url, { timeoutMs: 200, retries: 0 });
    const err = await failure(http.request({ path: '/half' }));
    expect(err.reason).toBe('timeout');
  });

  it('retries network errors and names the cause', async () => {
    const port = await freePort(); // nothing listens there
    const { http, time } = client(`http://127.0.0.1:${port}`, { retries: 2 });
    const err = await failure(http.request({ path: '/x' }));
    expect(err.reason).toBe('network');
    expect(err.attempts).toBe(3);
    expect(err.message).toMatch(
      /^keepa: GET http:\/\/127\.0\.0\.1:\d+\/x failed after 3 attempts: .*ECONNREFUSED/,
    );
    expect(time.sleeps).toHaveLength(2);
  });

  it('replays a JSON body on retry', async () => {
    const seen: string[] = [];
    const srv = await serve(async (req, res, n) => {
      seen.push(`${req.method} ${req.headers['content-type']} ${await readRequestBody(req)}`);
      if (n === 1) res.writeHead(502).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"fees":[]}');
    });
    const { http } = client(srv.url);
    const res = await http.request({ method: 'post', path: '/fees', json: { asin: 'B0001' } });
    expect(res.json<{ fees: unknown[] }>().fees).toEqual([]);
    expect(seen).toEqual(Array(2).fill('POST application/json {"asin":"B0001"}'));
  });

  it('stops waiting when the caller aborts', async () => {
    const srv = await serve((_req, res) => res.writeHead(503).end());
    const ac = new AbortController();
    const { http } = client(srv.url, {
      sleep: (_ms, signal) =>
        new Promise((_r, rej) => signal?.addEventListener('abort', () => rej(signal.reason))),
    });
    const p = http.request({ path: '/x', signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    const err = await failure(p);
    expect(err.reason).toBe('aborted');
    expect(err.message).toBe(`keepa: GET ${srv.url}/x failed: aborted`);
  });
});

describe('responses', () => {
  it('builds the URL from baseUrl, path and query', async () => {
    let got = '';
    const srv = await serve((req, res) => {
      got = req.url ?? '';
      res.end('[]');
    });
    const { http } = client(`${srv.url}/api/`);
    await http.request({ path: '/product', query: { asin: ['A1', 'A2'], stats: 1, skip: undefined } });
    expect(got).toBe('/api/product?asin=A1&asin=A2&stats=1');
  });

  it('reports malformed JSON naming the API and URL', async () => {
    const srv = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('<html>'),
    );
    const { http } = client(srv.url);
    const res = await http.request({ path: '/product', query: { key: 'k-123456' } });
    let err: unknown;
    try {
      res.json();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HttpClientError);
    expect(err).toMatchObject({
      reason: 'invalid_json',
      status: 200,
      url: `${srv.url}/product?key=[redacted]`,
    });
    expect((err as Error).message).toMatch(
      new RegExp(
        `^keepa: GET ${srv.url}/product returned malformed JSON \\(HTTP 200, application/json, 6 bytes\\)`,
      ),
    );
  });

  it('refuses a body above maxBodyBytes', async () => {
    const srv = await serve((_req, res) => res.end('x'.repeat(5000)));
    const { http } = client(srv.url, { maxBodyBytes: 1000 });
    const err = await failure(http.request({ path: '/big' }));
    expect(err.reason).toBe('too_large');
    expect(err.message).toMatch(/larger than 1000 bytes \(use stream\(\) for downloads\)/);
  });

  it('counts every attempt by API and status', async () => {
    const srv = await serve((_req, res, n) => res.writeHead(n <= 2 ? 503 : 200).end());
    const metrics = new Metrics();
    const { http } = client(srv.url, { metrics });
    await http.request({ path: '/x' });
    expect(await counter(metrics)).toEqual({ 'keepa:503': 2, 'keepa:200': 1 });
    const text = await metrics.text();
    expect(text).toContain('awa_http_client_request_duration_seconds_count{api="keepa"} 3');
  });

  it('keeps secrets out of errors and logs', async () => {
    const srv = await serve((_req, res) => res.writeHead(500).end());
    const lines: string[] = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk, _enc, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    );
    const { http } = client(srv.url, {
      retries: 1,
      logger,
      headers: () => ({ authorization: 'Bearer hdr-SECRET-1' }),
      secrets: ['path-SECRET-4'],
    });
    const err = await failure(
      http.request({
        path: '/product',
        query: { key: 'q-SECRET-2', access_token: 'q-SECRET-3', asin: 'B01' },
      }),
    );
    expect(err.url).toBe(`${srv.url}/product?key=[redacted]&access_token=[redacted]&asin=B01`);
    const everything = [err.message, err.url, JSON.stringify(err.details), String(err.stack), ...lines].join(
      '\n',
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).not.toMatch(/SECRET/);
  });
});

describe('stream', () => {
  it('streams a download after retrying a 503', async () => {
    const srv = await serve((_req, res, n) => {
      if (n === 1) return void res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'text/csv' });
      let i = 0;
      const tick = setInterval(() => {
        if (i === 5) {
          clearInterval(tick);
          res.end();
        } else res.write(`row${i++}\n`);
      }, 5);
    });
    const { http } = client(srv.url, { concurrency: 1 });
    const res = await http.stream({ path: '/report.csv' });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
    const chunks: Buffer[] = [];
    for await (const c of res.body) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('row0\nrow1\nrow2\nrow3\nrow4\n');
    // the slot came back when the body ended: a second download on concurrency 1 goes through
    const again = await http.stream({ path: '/report.csv' });
    again.body.resume();
    await new Promise((r) => again.body.once('close', r));
  });

  it('allows a slow download whose chunks keep coming, and fails a stalled one', async () => {
    const srv = await serve((req, res) => {
      res.writeHead(200);
      let i = 0;
      const tick = setInterval(() => {
        if (req.url === '/stall' && i === 2) return clearInterval(tick); // goes silent
        if (i === 10) {
          clearInterval(tick);
          return void res.end();
        }
        res.write(`c${i++}`);
      }, 50);
      res.on('close', () => clearInterval(tick));
    });
    // the whole download (≈ 500 ms) exceeds the 300 ms timeout; no single gap comes close
    const { http } = client(srv.url, { timeoutMs: 300, retries: 0 });
    const ok = await http.stream({ path: '/slow' });
    let text = '';
    for await (const c of ok.body) text += String(c);
    expect(text).toBe('c0c1c2c3c4c5c6c7c8c9');

    const stalled = await http.stream({ path: '/stall' });
    const err = await failure(
      (async () => {
        for await (const _ of stalled.body) {
          // drain
        }
      })(),
    );
    expect(err.reason).toBe('stalled');
    expect(err.message).toBe(`keepa: GET ${srv.url}/stall failed: download stalled: no data for 300 ms`);
  });
});
