import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { JOBS } from '../src/jobs/registry.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

/**
 * The metric names used by deploy/ (Prometheus alerts, Grafana dashboard) are a contract with the
 * code (src/platform/metrics.ts, src/roles.ts): renaming a metric without updating deploy/ fails here.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const deploy = path.join(root, 'deploy');
const prometheusFile = path.join(deploy, 'prometheus', 'prometheus.yml');
const alertsFile = path.join(deploy, 'prometheus', 'alerts.yml');
const dashboardFile = path.join(deploy, 'grafana', 'dashboards', 'awa-platform.json');
const datasourceFile = path.join(deploy, 'grafana', 'provisioning', 'datasources', 'prometheus.yml');
const providerFile = path.join(deploy, 'grafana', 'provisioning', 'dashboards', 'awa.yml');

// ---------------------------------------------------------------------------------------------
// PromQL metric-name extraction

/** Binary operators, modifiers, aggregations and literals: never metric names. Case-insensitive. */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'atan2',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
  'inf',
  'nan',
]);

/** Keywords followed by a parenthesised list of label names. */
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

/** PromQL functions (an identifier followed by `(` is treated as a function call in any case). */
const FUNCTIONS = new Set(
  (
    'abs absent absent_over_time acos acosh asin asinh atan atanh avg_over_time ceil changes clamp ' +
    'clamp_max clamp_min cos cosh count_over_time day_of_month day_of_week day_of_year days_in_month deg ' +
    'delta deriv double_exponential_smoothing end exp floor histogram_avg histogram_count ' +
    'histogram_fraction histogram_quantile histogram_stddev histogram_stdvar histogram_sum holt_winters ' +
    'hour idelta increase info irate label_join label_replace last_over_time ln log10 log2 ' +
    'mad_over_time max_over_time min_over_time minute month pi predict_linear present_over_time ' +
    'quantile_over_time rad rate resets round scalar sgn sin sinh sort sort_by_label sort_by_label_desc ' +
    'sort_desc sqrt start stddev_over_time stdvar_over_time sum_over_time tan tanh time timestamp vector year'
  ).split(' '),
);

type Token =
  | { kind: 'ident'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'number' }
  | { kind: 'variable' }
  | { kind: 'punct'; text: string };

function tokenize(expr: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '#') {
      // comment to end of line
      while (i < expr.length && expr[i] !== '\n') i += 1;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      let text = '';
      while (j < expr.length && expr[j] !== c) {
        if (expr[j] === '\\' && c !== '`') j += 1;
        text += expr[j] ?? '';
        j += 1;
      }
      if (j >= expr.length) throw new Error(`unterminated string in PromQL: ${expr}`);
      out.push({ kind: 'string', text });
      i = j + 1;
    } else if (c === '$') {
      // Grafana variable: ${name}, ${name:format}, $name, $__rate_interval
      const m = /^\$(\{[^}]*\}|\w+)/.exec(expr.slice(i));
      if (!m) throw new Error(`stray $ in PromQL: ${expr}`);
      out.push({ kind: 'variable' });
      i += m[0].length;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(expr[i + 1] ?? ''))) {
      // numbers and durations: 0.99, 1e3, 0x1f, 5m, 1h30m
      const m = /^[0-9.][0-9a-zA-Z_.]*/.exec(expr.slice(i))!;
      out.push({ kind: 'number' });
      i += m[0].length;
    } else if (/[a-zA-Z_:]/.test(c)) {
      const m = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expr.slice(i))!;
      out.push({ kind: 'ident', text: m[0] });
      i += m[0].length;
    } else {
      out.push({ kind: 'punct', text: c });
      i += 1;
    }
  }
  return out;
}

/** Index just past the bracket that closes the one at `start` (`{`, `[` or `(`). */
function skipBracket(tokens: Token[], start: number): number {
  const open = (tokens[start] as { text: string }).text;
  const close = { '{': '}', '[': ']', '(': ')' }[open];
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'punct') continue;
    if (t.text === open) depth += 1;
    else if (t.text === close) depth -= 1;
    if (depth === 0) return i + 1;
  }
  throw new Error(`unbalanced "${open}" in PromQL`);
}

const isPunct = (t: Token | undefined, text: string) => t?.kind === 'punct' && t.text === text;

/** Metric names referenced by a PromQL expression (not functions, keywords or label names). */
function metricNames(expr: string): string[] {
  const tokens = tokenize(expr);
  const names = new Set<string>();
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (isPunct(t, '{')) {
      // label matchers; a {__name__="x"} selector names its metric here
      const end = skipBracket(tokens, i);
      for (let k = i + 1; k < end - 3; k++) {
        const [name, op, value] = [tokens[k]!, tokens[k + 1], tokens[k + 2]];
        if (
          name.kind === 'ident' &&
          name.text === '__name__' &&
          isPunct(op, '=') &&
          value?.kind === 'string'
        ) {
          names.add(value.text);
        }
      }
      i = end;
    } else if (isPunct(t, '[')) {
      i = skipBracket(tokens, i); // range or subquery: durations and variables only
    } else if (t.kind === 'ident') {
      const next = tokens[i + 1];
      const word = t.text.toLowerCase();
      if (LABEL_LIST_KEYWORDS.has(word) && isPunct(next, '(')) {
        i = skipBracket(tokens, i + 1); // by (le, route): label names
      } else if (isPunct(next, '(') || KEYWORDS.has(word) || FUNCTIONS.has(t.text)) {
        i += 1;
      } else {
        names.add(t.text);
        i += 1;
      }
    } else {
      i += 1;
    }
  }
  return [...names];
}

/** The PromQL inside a Grafana variable query (label_values(expr, label), query_result(expr), ...). */
function variableQueryExprs(query: string): string[] {
  const q = query.trim();
  const labelValues = /^label_values\(([\s\S]*)\)$/.exec(q);
  if (labelValues) {
    const args = labelValues[1]!;
    const comma = args.lastIndexOf(',');
    return comma === -1 ? [] : [args.slice(0, comma)]; // label_values(label) has no selector
  }
  if (/^(metrics|label_names)\(/.test(q)) return []; // metric or label names, no selector
  const queryResult = /^query_result\(([\s\S]*)\)$/.exec(q);
  if (queryResult) return [queryResult[1]!];
  return [q];
}

// ---------------------------------------------------------------------------------------------
// deploy/ files

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface StaticConfig {
  targets: string[];
  labels?: Record<string, string>;
}
interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  scrape_interval?: string;
  static_configs?: StaticConfig[];
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: { expr?: string; refId: string }[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: unknown }[] };
}
type Service = { command?: string | string[]; environment?: Record<string, unknown> | string[] };

// biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable, not a JS template
const DS_VARIABLE = '${DS_PROMETHEUS}';

const readYaml = <T>(file: string): T => parse(readFileSync(file, 'utf8'), { merge: true }) as T;

const prometheus = readYaml<{ rule_files?: string[]; scrape_configs: ScrapeConfig[] }>(prometheusFile);
const alerts = readYaml<{ groups: { name: string; rules: Rule[] }[] }>(alertsFile);
const dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8')) as Dashboard;
const rules = alerts.groups.flatMap((g) => g.rules);
const awaJob = prometheus.scrape_configs.find((c) => c.job_name === 'awa');

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

/** Every PromQL expression of the dashboard: panel targets, annotations, variable queries. */
function dashboardExprs(d: Dashboard): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) walk(n, `${where}[${i}]`);
    } else if (node && typeof node === 'object') {
      const title = (node as { title?: unknown }).title;
      const here = typeof title === 'string' ? `${where} "${title}"` : where;
      for (const [k, v] of Object.entries(node)) {
        if (k === 'expr' && typeof v === 'string') out.push({ where: here, expr: v });
        else if (k !== 'templating') walk(v, `${here}.${k}`);
      }
    }
  };
  walk(d, 'dashboard');
  for (const v of d.templating.list) {
    if (v.type !== 'query') continue;
    const q = typeof v.query === 'string' ? v.query : (v.query as { query?: string } | undefined)?.query;
    for (const expr of variableQueryExprs(q ?? '')) out.push({ where: `variable ${v.name}`, expr });
  }
  return out;
}

const exprs = [
  ...rules.map((r) => ({ where: `${path.relative(root, alertsFile)} ${r.alert ?? r.record}`, expr: r.expr })),
  ...dashboardExprs(dashboard).map((e) => ({
    ...e,
    where: `${path.relative(root, dashboardFile)} ${e.where}`,
  })),
];

/** Series Prometheus records itself for every target. */
const PROMETHEUS_SERIES = new Set([
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
]);

/** `# TYPE name type` lines of a Prometheus text exposition. */
function exposedTypes(text: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$/gm)) types.set(m[1]!, m[2]!);
  return types;
}

function isExposed(name: string, types: Map<string, string>): boolean {
  if (types.has(name)) return true;
  const m = /^(.+)_(bucket|sum|count)$/.exec(name);
  if (!m) return false;
  const type = types.get(m[1]!);
  return type === 'histogram' || (type === 'summary' && m[2] !== 'bucket');
}

// ---------------------------------------------------------------------------------------------

describe('PromQL metric-name extractor', () => {
  it.each([
    ['up == 0', ['up']],
    ['up{job="awa"}==0', ['up']],
    [
      'sum by (role) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (role) (rate(x_total[5m]))',
      ['http_requests_total', 'x_total'],
    ],
    [
      'histogram_quantile(0.99, sum by (le, route) (rate(h_bucket{route!="/metrics"}[$__rate_interval])))',
      ['h_bucket'],
    ],
    ['sum(rate(a[5m])) by (le) / ignoring(status) group_left b', ['a', 'b']],
    ['a > 0 and on (job, instance) (time() - b < 86400) unless a offset 1d', ['a', 'b']],
    ['max_over_time(a[1h:5m]) @ end() or vector(0)', ['a']],
    ['{__name__="a", job="awa"} * on() group_left(x) b:rate5m', ['a', 'b:rate5m']],
    ['sum without(instance)(a) # b is a comment', ['a']],
    ['count(a{l="sum(b)"}) > bool 1e-3', ['a']],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable, not a JS template
    ['SUM BY (x) (a{y="$role", z=~"${var:regex}"})', ['a']],
  ])('%s', (expr, expected) => {
    expect(metricNames(expr).sort()).toEqual([...expected].sort());
  });

  it('reads the selector of a Grafana label_values() variable, not its label', () => {
    expect(variableQueryExprs('label_values(up{job="awa"}, role)').flatMap(metricNames)).toEqual(['up']);
    expect(variableQueryExprs('label_values(role)')).toEqual([]);
  });

  it('finds metrics in every alert rule and every dashboard query', () => {
    expect(rules.length).toBeGreaterThan(0);
    expect(dashboard.panels.length).toBeGreaterThan(0);
    for (const { where, expr } of exprs) expect(metricNames(expr), where).not.toEqual([]);
  });
});

describe('deploy/prometheus', () => {
  it('loads alerts.yml from prometheus.yml, and every rule file exists', () => {
    const files = prometheus.rule_files ?? [];
    expect(files).toContain('alerts.yml');
    for (const f of files) expect(existsSync(path.resolve(path.dirname(prometheusFile), f)), f).toBe(true);
  });

  it('scrapes exactly the compose services that run AWA roles, each labelled with its role', () => {
    const compose = readYaml<{ services: Record<string, Service> }>(path.join(root, 'docker-compose.yml'));
    const expected: Record<string, string> = {};
    for (const [name, s] of Object.entries(compose.services)) {
      const cmd = Array.isArray(s.command) ? s.command.map(String) : (s.command ?? '').split(/\s+/);
      const i = cmd.indexOf('--roles');
      if (cmd[0] !== 'start' || i === -1) continue;
      const env = Array.isArray(s.environment)
        ? Object.fromEntries(s.environment.map((l) => [l.split('=')[0], l.split('=').slice(1).join('=')]))
        : (s.environment ?? {});
      expected[`${name}:${env.PORT ?? 8000}`] = cmd[i + 1]!;
    }
    expect(Object.keys(expected).sort()).toEqual(['api:8000', 'scheduler:8000', 'worker:8000']);

    expect(awaJob, 'scrape job "awa"').toBeDefined();
    expect(awaJob!.metrics_path ?? '/metrics').toBe('/metrics');
    expect(awaJob!.scrape_interval).toBe('15s');
    const actual: Record<string, string | undefined> = {};
    for (const sc of awaJob!.static_configs ?? []) {
      for (const target of sc.targets) actual[target] = sc.labels?.role;
    }
    expect(actual).toEqual(expected);
  });

  it('gives every alert a name, a severity and a summary', () => {
    const names = rules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const r of rules) {
      expect(r.alert, r.expr).toMatch(/^Awa[A-Za-z]+$/);
      expect(['critical', 'warning', 'info'], `${r.alert} severity`).toContain(r.labels?.severity);
      expect(r.annotations?.summary, `${r.alert} summary`).toBeTruthy();
    }
  });
});

describe('deploy/grafana', () => {
  it('is a dashboard with a stable uid whose panels use the Prometheus data source variable', () => {
    expect(dashboard.uid).toBe('awa-platform');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', query: 'prometheus' }),
    );
    const panels = allPanels(dashboard.panels);
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size, 'unique panel ids').toBe(ids.length);
    for (const p of panels.filter((p) => p.type !== 'row')) {
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: DS_VARIABLE });
      expect(p.targets?.length, `${p.title} queries`).toBeGreaterThan(0);
      for (const t of p.targets ?? []) expect(t.expr, `${p.title} ${t.refId}`).toBeTruthy();
    }
  });

  it('provisions the Prometheus data source and the dashboards folder', () => {
    const ds = readYaml<{ datasources: { type: string; url: string; isDefault?: boolean }[] }>(
      datasourceFile,
    );
    expect(ds.datasources).toContainEqual(
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true }),
    );
    const providers = readYaml<{ providers: { type: string; options: { path: string } }[] }>(providerFile);
    expect(providers.providers).toHaveLength(1);
    expect(providers.providers[0]).toMatchObject({ type: 'file', options: { path: expect.any(String) } });
  });
});

describe('metric names in deploy/ exist in the app', () => {
  let t: TestApp;
  let types: Map<string, string>;

  beforeAll(async () => {
    t = await createTestApp();
    // as `awa start` does (src/roles.ts): agent metrics exist before their first run
    for (const j of JOBS) t.deps.metrics.agent(j.name);
    const viewer = await t.bearer('viewer');
    for (const url of ['/health', '/api/v1/agents', '/no-such-route']) {
      await t.app.inject({ method: 'GET', url, headers: { authorization: viewer } });
    }
    const res = await t.app.inject({ method: 'GET', url: awaJob?.metrics_path ?? '/metrics' });
    expect(res.statusCode).toBe(200);
    types = exposedTypes(res.body);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Gauges that src/roles.ts registers at start-up (they need a running pool and queue). */
  const rolesSource = readFileSync(path.join(root, 'src', 'roles.ts'), 'utf8');
  const roleGauges = new Set(
    [...rolesSource.matchAll(/\.gauge\(\s*['"`]([a-zA-Z_:][a-zA-Z0-9_:]*)['"`]/g)].map((m) => m[1]!),
  );

  it('registers the database pool and job queue gauges in src/roles.ts', () => {
    expect([...roleGauges].sort()).toEqual(expect.arrayContaining(['awa_db_pool_connections', 'awa_jobs']));
  });

  it('exports every metric that an alert or a dashboard panel queries', () => {
    const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
    const missing: string[] = [];
    const used = new Set<string>();
    for (const { where, expr } of exprs) {
      for (const name of metricNames(expr)) {
        used.add(name);
        const known =
          PROMETHEUS_SERIES.has(name) || recorded.has(name) || roleGauges.has(name) || isExposed(name, types);
        if (!known) missing.push(`${name} (${where})`);
      }
    }
    expect(missing, 'metric names in deploy/ that the app does not export').toEqual([]);
    // the extractor did see the metrics the brief of deploy/ is about
    for (const name of [
      'http_requests_total',
      'http_request_duration_seconds_bucket',
      'awa_maintenance_runs_total',
      'awa_jobs',
      'awa_db_pool_connections',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'up',
    ]) {
      expect(used, name).toContain(name);
    }
  });
});
