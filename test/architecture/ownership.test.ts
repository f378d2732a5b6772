import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One owner per table (ARCHITECTURE.md "Conventions"): only the owning domain writes a table, and
 * other domains reach it through that domain's service. The owners are written down here, once, on
 * purpose: a new writer of a table, or a new table, has to be a decision made in this file, not
 * something that happens by copying a statement into another domain.
 *
 * The scan reads source text: SQL statements (INSERT INTO, UPDATE … SET, DELETE FROM, TRUNCATE, COPY)
 * and Kysely's insertInto / updateTable / deleteFrom / mergeInto. Writes done by triggers
 * (migrations: every ROI input table notes its keys in roi_changes) are not statements of any domain
 * and are not scanned.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Every table of the schema and the one domain that writes it ('platform' = src/platform). */
const OWNERS: Record<string, string> = {
  // platform: the migration runner, the staged-load record, the job runner's run records
  schema_migrations: 'platform',
  load_log: 'platform',
  agent_runs: 'platform',
  // auth
  users: 'auth',
  sessions: 'auth',
  api_tokens: 'auth',
  audit_log: 'auth',
  login_throttle: 'auth', // written by rate-limiter-flexible, configured in auth/throttle.ts
  // decisions: the inbox, its history, the thresholds admins tune and the rules' memory
  tasks: 'decisions',
  task_events: 'decisions',
  task_thresholds: 'decisions',
  task_streaks: 'decisions',
  // alerts: the outbox (the task_events trigger writes it too, see migration 0025), where
  // notifications go, and the messages made of them
  notifications: 'alerts',
  notification_targets: 'alerts',
  notification_items: 'alerts',
  notification_groups: 'alerts',
  // sync: reports pulled from SP-API, their watermarks and the reports asked of Amazon
  sync_state: 'sync',
  sync_requests: 'sync',
  notification_deliveries: 'alerts',
  user_preferences: 'preferences',
  saved_views: 'preferences',
  // vendors: the vendor profile, price lists and their prices
  vendors: 'vendors',
  vendor_prices: 'vendors',
  vendor_price_history: 'vendors',
  price_lists: 'vendors',
  // catalog: what Keepa (authoritative) and Amazon's reports (gaps only) say about products
  products: 'catalog',
  product_identifiers: 'catalog',
  buybox_history: 'catalog',
  product_metrics: 'catalog',
  keepa_fetches: 'catalog',
  // fees: SP-API / Helium10 estimates and the fee preview report, through one writer
  fees: 'fees',
  fees_history: 'fees',
  logistics_rates: 'logistics',
  logistics_loadlog: 'logistics',
  // reports: Amazon's reports as loaded (raw landing tables and the listings/inventory they state)
  listings: 'reports',
  inventory_snapshots: 'reports',
  fee_preview_raw: 'reports',
  returns_raw: 'reports',
  reimbursements_raw: 'reports',
  inventory_ledger_raw: 'reports',
  settlements: 'reports',
  settlement_lines_raw: 'reports',
  ads_sp_daily_raw: 'reports',
  // roi: landed cost and the rates it converts and taxes with (vat_rates, fx_rates)
  roi_offers: 'roi',
  roi_offers_next: 'roi',
  roi_changes: 'roi',
  roi_refreshes: 'roi',
  roi_settings: 'roi',
  vat_rates: 'roi',
  fx_rates: 'roi',
  scores: 'scoring',
  scores_latest: 'scoring',
  repricer_rules: 'repricer',
  repricer_log: 'repricer',
  price_updates_log: 'repricer',
  // offers: Amazon's offer-change notifications, the per-ASIN debounce and the decisions it made
  offer_notifications: 'offers',
  offer_rejects: 'offers',
  offer_pending: 'offers',
  offer_decisions: 'offers',
  offer_subscriptions: 'offers',
  restock_plans: 'restock',
  restock_plan_lines: 'restock',
  purchase_orders: 'restock',
  purchase_order_lines: 'restock',
};

/**
 * Writes by a domain other than the owner, each with its reason. Keyed `file → tables`: an
 * exception covers one file, so the same write elsewhere still fails.
 */
const EXCEPTIONS: Record<string, { tables: string[]; why: string }> = {
  'src/domains/roi/roi.repo.ts': {
    tables: ['products'],
    why: "the review decision (products.status, approved_by, approved_at) is ROI's: it sets only those columns",
  },
  'src/domains/roi/roi.bulk.repo.ts': {
    tables: ['products'],
    why: 'the bulk review decision, on the same three columns as roi.repo.ts, filtered by ROI figures',
  },
  'src/domains/maintenance/maintenance.repo.ts': {
    tables: ['audit_log', 'repricer_log'],
    why: 'retention: the nightly trim deletes rows past their age from append-only logs, nothing else',
  },
  'src/domains/fees/testkit.ts': {
    tables: ['listings'],
    why: 'a test kit imported only by tests: it seeds the listings the fee agent prices',
  },
};

/**
 * Statements whose table is an expression the scan cannot resolve (written `(expression)`), each
 * with what it names. Anything else that computes a table name fails until it is listed here.
 */
const DYNAMIC: Record<string, { names: string[]; why: string }> = {
  'src/domains/reports/merge.repo.ts': {
    names: ['(table)', '(m.stage)'],
    why: "insertNew(table) is given reports' own landing tables (returns_raw, reimbursements_raw); m.stage is the ingest's temp stage",
  },
  'src/domains/reports/ingest.service.ts': {
    names: ['(repo.STAGE)'],
    why: "the ingest's temp stage (ingest.repo.ts STAGE)",
  },
  'src/domains/vendors/import.load.ts': {
    names: ['(TABLES[mode])'],
    why: "vendors' own vendor_prices (a first list goes straight in) or its temp stage_prices",
  },
  'src/platform/db/copy.ts': {
    names: ['(table)'],
    why: 'the COPY helper: the caller names its own (stage) table',
  },
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...sourceFiles(rel));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts'))
      out.push(rel);
  }
  return out;
}

/** `src/domains/<d>/…` → d; `src/platform/…` → platform; `src/cli/…` → cli. */
function domainOf(file: string): string {
  const parts = file.split('/');
  return parts[1] === 'domains' ? parts[2]! : parts[1]!;
}

// Comments may name statements in prose ("COPY puts …"); the scan reads code only.
const stripComments = (text: string) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/(^|\s)--\s.*$/gm, '$1');

const NAME = String.raw`([a-z_][a-z0-9_]*|\$\{[^}]+\})`;
const WRITES: RegExp[] = [
  new RegExp(String.raw`\bINSERT INTO\s+${NAME}`, 'g'),
  new RegExp(String.raw`\bUPDATE\s+(?:ONLY\s+)?${NAME}(?:\s+(?:AS\s+)?[a-z_]\w*)?\s+SET\b`, 'g'),
  new RegExp(String.raw`\bDELETE FROM\s+(?:ONLY\s+)?${NAME}`, 'g'),
  new RegExp(String.raw`\bTRUNCATE\s+(?:TABLE\s+)?${NAME}`, 'g'),
  new RegExp(String.raw`\bCOPY\s+${NAME}\s*(?:\(|FROM\b)`, 'g'),
  /\.(?:insertInto|updateTable|deleteFrom|mergeInto)\(\s*'([a-z_][a-z0-9_]*)'/g,
  // the platform's COPY helpers: copyRows(client, table, …), copyChunks(client, table, …)
  /\bcopy(?:Rows|Chunks)\(\s*[\w.]+\s*,\s*('[a-z_][a-z0-9_]*'|[\w.[\]]+)\s*,/g,
];

interface Write {
  file: string;
  domain: string;
  table: string;
}

function writesOf(file: string, text: string): Write[] {
  const code = stripComments(text);
  const consts = new Map(
    [...code.matchAll(/const ([A-Z_]+) = '([a-z_][a-z0-9_]*)'/g)].map((m) => [m[1]!, m[2]!]),
  );
  const out: Write[] = [];
  for (const re of WRITES) {
    for (const m of code.matchAll(re)) {
      let table = m[1]!;
      // an interpolated or computed name is written `(expression)`, e.g. `(m.stage)`
      if (/^'.*'$/.test(table)) table = table.slice(1, -1);
      else if (table.startsWith('${')) table = `(${table.slice(2, -1)})`;
      else if (!/^[a-z_][a-z0-9_]*$/.test(table)) table = `(${table})`;
      // `${STAGE}` with `const STAGE = 'stage_report'` in the same file is that table
      const c = /^\(([A-Z_]+)\)$/.exec(table);
      if (c && consts.has(c[1]!)) table = consts.get(c[1]!)!;
      out.push({ file, domain: domainOf(file), table });
    }
  }
  return out;
}

const files = sourceFiles('src');
const texts = new Map(files.map((f) => [f, readFileSync(path.join(ROOT, f), 'utf8')]));
const writes = files.flatMap((f) => writesOf(f, texts.get(f)!));

/** Temp tables (stages, scopes) belong to the domain that creates them in a transaction. */
const temps = new Map<string, string>();
for (const [f, text] of texts) {
  for (const m of text.matchAll(/CREATE TEMP TABLE\s+([a-z_][a-z0-9_]*|\$\{[A-Z_]+\})/g)) {
    const consts = new Map(
      [...text.matchAll(/const ([A-Z_]+) = '([a-z_][a-z0-9_]*)'/g)].map((x) => [x[1]!, x[2]!]),
    );
    const name = m[1]!.startsWith('${') ? consts.get(m[1]!.slice(2, -1)) : m[1];
    if (name) temps.set(name, domainOf(f));
  }
}

/** Why a write is allowed, or undefined when it is not. */
function allowed(w: Write): string | undefined {
  if (w.table.startsWith('(')) {
    return DYNAMIC[w.file]?.names.includes(w.table) ? 'dynamic (listed)' : undefined;
  }
  if (temps.get(w.table) === w.domain) return 'temp table of the domain';
  if (OWNERS[w.table] === w.domain) return 'owner';
  return EXCEPTIONS[w.file]?.tables.includes(w.table) ? 'exception (listed)' : undefined;
}

describe('table ownership', () => {
  it('finds the writes it is meant to check (the scan itself works)', () => {
    // a few writes that must be seen, so a broken pattern cannot pass everything by finding nothing
    const seen = new Set(writes.map((w) => `${w.domain}:${w.table}`));
    for (const k of ['fees:fees', 'fees:fees_history', 'catalog:products', 'auth:users', 'platform:load_log'])
      expect(seen).toContain(k);
    expect(
      writesOf('src/domains/x/a.ts', '// INSERT INTO fees\nconst s = `UPDATE products p SET title = 1`;'),
    ).toEqual([{ file: 'src/domains/x/a.ts', domain: 'x', table: 'products' }]);
  });

  it('every table of the schema has an owner', () => {
    const tables = new Set<string>();
    const dir = path.join(ROOT, 'migrations');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.sql'))) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      for (const m of text.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*)/g)) tables.add(m[1]!);
    }
    expect([...tables].filter((t) => !(t in OWNERS))).toEqual([]);
  });

  it("every write names a table of the writer's own domain (or a listed exception)", () => {
    const bad = writes
      .filter((w) => allowed(w) === undefined)
      .map((w) => `${w.file} writes ${w.table} (owner: ${OWNERS[w.table] ?? temps.get(w.table) ?? 'none'})`);
    expect([...new Set(bad)].sort()).toEqual([]);
  });

  it('every listed exception is still needed', () => {
    const stale = Object.entries(EXCEPTIONS).flatMap(([file, e]) =>
      e.tables
        .filter((t) => !writes.some((w) => w.file === file && w.table === t))
        .map((t) => `${file}: ${t}`),
    );
    const staleDynamic = Object.entries(DYNAMIC).flatMap(([file, d]) =>
      d.names
        .filter((n) => !writes.some((w) => w.file === file && w.table === n))
        .map((n) => `${file}: ${n}`),
    );
    expect([...stale, ...staleDynamic]).toEqual([]);
  });

  it("no domain imports another domain's repo", () => {
    const bad: string[] = [];
    for (const [f, text] of texts) {
      if (!f.startsWith('src/domains/')) continue;
      const from = domainOf(f);
      for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'/g)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(f), m[1]!));
        const t = /^src\/domains\/([^/]+)\/.*\.repo\.ts$/.exec(target);
        if (t && t[1] !== from) bad.push(`${f} imports ${target}`);
      }
    }
    expect(bad.sort()).toEqual([]);
  });
});
