import client from 'prom-client';

export interface AgentMetrics {
  runs: client.Counter<'status'>;
  duration: client.Histogram<'status'>;
}

/**
 * One registry per process (tests build several per process, hence no global default registry).
 * Metric names are the contract with the dashboards in deploy/: change them only together.
 */
export class Metrics {
  readonly registry = new client.Registry();
  /** http_requests_total and http_request_duration_seconds, one record() per request. */
  readonly http = new HttpStats([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  /** Outbound calls (platform/http), one per attempt; status is the HTTP code, `error` or `timeout`. */
  readonly httpClientRequests: client.Counter<'api' | 'status'>;
  readonly httpClientDuration: client.Histogram<'api'>;
  private readonly agents = new Map<string, AgentMetrics>();

  constructor(labels: { role?: string } = {}) {
    if (labels.role) this.registry.setDefaultLabels({ role: labels.role });
    client.collectDefaultMetrics({ register: this.registry });
    for (const m of this.http.exported()) this.registry.registerMetric(m);
    this.httpClientRequests = new client.Counter({
      name: 'awa_http_client_requests_total',
      help: 'Outbound HTTP attempts by API and status code (error/timeout for network failures)',
      labelNames: ['api', 'status'],
      registers: [this.registry],
    });
    this.httpClientDuration = new client.Histogram({
      name: 'awa_http_client_request_duration_seconds',
      help: 'Outbound HTTP attempt duration by API (to the end of the body; to headers for downloads)',
      labelNames: ['api'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [this.registry],
    });
  }

  /** `awa_<agent>_runs_total{status}` and `awa_<agent>_duration_seconds`, created once per agent. */
  agent(name: string): AgentMetrics {
    let m = this.agents.get(name);
    if (!m) {
      const id = name.replace(/[^a-zA-Z0-9_]/g, '_');
      m = {
        runs: new client.Counter({
          name: `awa_${id}_runs_total`,
          help: `Runs of the ${name} agent by final status`,
          labelNames: ['status'],
          registers: [this.registry],
        }),
        duration: new client.Histogram({
          name: `awa_${id}_duration_seconds`,
          help: `Duration of ${name} agent runs`,
          labelNames: ['status'],
          buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
          registers: [this.registry],
        }),
      };
      // every status series exists from the start, so alert rules see a failure as an increase from 0
      for (const status of ['success', 'failed', 'skipped', 'tripped']) m.runs.inc({ status }, 0);
      this.agents.set(name, m);
    }
    return m;
  }

  /** A gauge whose value is read when /metrics is scraped (pool sizes, queue depths). */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    collect: (g: client.Gauge<L>) => Promise<void> | void,
  ): void {
    if (this.registry.getSingleMetric(name)) this.registry.removeSingleMetric(name);
    new client.Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        await collect(this);
      },
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

interface HttpSeries {
  labels: { method: string; route: string; status: string };
  /** Requests per bucket, not cumulative (the export adds them up). */
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * The HTTP request counter and duration histogram, kept in plain numbers per series (method, route
 * template, status) and handed to the registry when /metrics is read, in the shape prom-client's own
 * Counter and Histogram give it. prom-client's inc() and observe() build, validate and hash the
 * label set on every call: a tenth of the cost of an authenticated API request.
 */
export class HttpStats {
  private readonly series = new Map<string, Map<string, Map<number, HttpSeries>>>();

  constructor(private readonly bounds: readonly number[]) {}

  record(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.series.get(route);
    if (!byMethod) {
      byMethod = new Map();
      this.series.set(route, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (!byStatus) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let s = byStatus.get(status);
    if (!s) {
      s = {
        labels: { method, route, status: String(status) },
        buckets: this.bounds.map(() => 0),
        sum: 0,
        count: 0,
      };
      byStatus.set(status, s);
    }
    s.count += 1;
    s.sum += seconds;
    for (let i = 0; i < this.bounds.length; i++) {
      if (seconds <= this.bounds[i]!) {
        s.buckets[i]! += 1;
        break;
      }
    }
  }

  /**
   * The two metrics as the registry reads them, shaped as prom-client's Counter and Histogram answer
   * (get; for the text format getForPromString; reset): the registry takes any object of that shape.
   */
  exported(): client.Metric[] {
    const reset = () => this.series.clear();
    const requests = {
      name: 'http_requests_total',
      help: 'HTTP requests by method, route template and status code',
      type: 'counter',
      aggregator: 'sum',
    };
    const duration = {
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route template',
      type: 'histogram',
      aggregator: 'sum',
    };
    const histogram = () => [...this.all()].flatMap((s) => this.histogramValues(s));
    return [
      {
        ...requests,
        reset,
        get: async () => ({
          ...requests,
          values: [...this.all()].map((s) => ({ value: s.count, labels: s.labels })),
        }),
      },
      {
        ...duration,
        reset,
        getForPromString: async () => ({ ...duration, values: histogram() }),
        // as Histogram.get(): each value's own labels merged with its series' labels
        get: async () => ({
          ...duration,
          values: histogram().map(({ sharedLabels, labels, ...v }) => ({
            ...v,
            labels: { ...labels, ...sharedLabels },
          })),
        }),
      },
    ] as unknown as client.Metric[];
  }

  private *all(): Generator<HttpSeries> {
    for (const byMethod of this.series.values()) {
      for (const byStatus of byMethod.values()) yield* byStatus.values();
    }
  }

  private histogramValues(s: HttpSeries) {
    const name = 'http_request_duration_seconds';
    // prom-client's shape to the letter: buckets carry `exemplar: null`, _sum and _count none
    const value = (labels: { le?: number | string }, v: number, metricName: string, exemplar?: null) => ({
      labels,
      sharedLabels: s.labels,
      value: v,
      metricName,
      exemplar,
    });
    let acc = 0;
    const out = this.bounds.map((le, i) => {
      acc += s.buckets[i]!;
      return value({ le }, acc, `${name}_bucket`, null);
    });
    out.push(
      value({ le: '+Inf' }, s.count, `${name}_bucket`, null),
      value({}, s.sum, `${name}_sum`),
      value({}, s.count, `${name}_count`),
    );
    return out;
  }
}
