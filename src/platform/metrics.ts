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
  readonly httpRequests: client.Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: client.Histogram<'method' | 'route' | 'status'>;
  /** Outbound calls (platform/http), one per attempt; status is the HTTP code, `error` or `timeout`. */
  readonly httpClientRequests: client.Counter<'api' | 'status'>;
  readonly httpClientDuration: client.Histogram<'api'>;
  private readonly agents = new Map<string, AgentMetrics>();

  constructor(labels: { role?: string } = {}) {
    if (labels.role) this.registry.setDefaultLabels({ role: labels.role });
    client.collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new client.Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new client.Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route template',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
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
