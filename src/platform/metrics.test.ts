import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { HttpStats, Metrics } from './metrics.ts';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const REQUESTS: [string, string, number, number][] = [
  ['GET', '/api/v1/me', 200, 0.0004],
  ['GET', '/api/v1/me', 200, 0.003],
  ['GET', '/api/v1/me', 401, 0.0001],
  ['POST', '/api/v1/jobs/:id', 404, 0.07],
  ['GET', '/api/v1/me', 200, 12], // beyond the last bucket: only +Inf, _sum and _count
  ['GET', 'unmatched', 404, 0.001], // exactly on a bound counts in that bucket
  ['POST', '/api/v1/me', 201, 0.02], // series come out grouped by route, not in order of first sight
];

/** The exposition's lines in a fixed order: Prometheus reads series in any order. */
const lines = async (r: client.Registry) => (await r.metrics()).split('\n').sort();
const json = async (r: client.Registry) =>
  (await r.getMetricsAsJSON()).map((m) => ({
    ...m,
    values: [...m.values].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  }));

describe('HttpStats', () => {
  it("renders what prom-client's own Counter and Histogram render for the same requests", async () => {
    const theirs = new client.Registry();
    theirs.setDefaultLabels({ role: 'api' });
    const counter = new client.Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [theirs],
    });
    const histogram = new client.Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route template',
      labelNames: ['method', 'route', 'status'],
      buckets: BUCKETS,
      registers: [theirs],
    });
    const ours = new client.Registry();
    ours.setDefaultLabels({ role: 'api' });
    const stats = new HttpStats(BUCKETS);
    for (const m of stats.exported()) ours.registerMetric(m);
    for (const [method, route, status, seconds] of REQUESTS) {
      const labels = { method, route, status: String(status) };
      counter.inc(labels);
      histogram.observe(labels, seconds);
      stats.record(method, route, status, seconds);
    }
    expect(await lines(ours)).toEqual(await lines(theirs));
    expect(await json(ours)).toEqual(await json(theirs));
    ours.resetMetrics();
    theirs.resetMetrics();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('is what a Metrics registry exports, beside the default process metrics', async () => {
    const m = new Metrics({ role: 'api' });
    m.http.record('GET', '/health', 200, 0.002);
    const text = await m.text();
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toContain('http_requests_total{method="GET",route="/health",status="200",role="api"} 1');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('process_resident_memory_bytes');
  });
});
