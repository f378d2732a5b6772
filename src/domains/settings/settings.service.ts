import { type Config, variablesSet } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { listVat } from '../roi/vat.service.ts';

/**
 * The configuration that shapes a seller's numbers, each value with where it comes from: the
 * environment (a variable set for `awa start`), the built-in default, or the database. Values
 * from the environment or defaults are changed by setting the variable and restarting; secrets
 * (API keys, passwords inside URLs) are reported as set or not, never sent.
 */

export type Source = 'environment' | 'default' | 'database';
/** How the page shows a value: a fraction as %, a count of days, a cron schedule… */
export type Unit =
  | 'text'
  | 'fraction'
  | 'percent'
  | 'days'
  | 'minutes'
  | 'hours'
  | 'bytes'
  | 'cron'
  | 'boolean';

export interface Setting {
  key: string;
  label: string;
  /** The value as text; null for a secret (see `configured`) or an unset optional value. */
  value: string | null;
  unit: Unit;
  source: Source;
  /** The environment variable that sets it; null for a database value. */
  variable: string | null;
  secret: boolean;
  configured: boolean;
  /** Changeable in the web app (database values only). */
  editable: boolean;
  help: string;
}

export interface SettingsGroup {
  id: string;
  title: string;
  items: Setting[];
}

type Key = keyof Config & string;

interface Spec {
  key: Key;
  label: string;
  unit?: Unit;
  secret?: boolean;
  help: string;
  /** The effective value when the variable is unset and the config holds none (e.g. VAT_RATE). */
  fallback?: (vat: { rate: number; registered: boolean }) => unknown;
}

const GROUPS: { id: string; title: string; specs: Spec[] }[] = [
  {
    id: 'marketplace',
    title: 'Marketplace',
    specs: [
      {
        key: 'AWA_MARKETPLACE',
        label: 'Marketplace',
        help: 'the Amazon marketplace prices, fees and rules are for',
      },
      { key: 'AWA_CURRENCY', label: 'Currency', help: 'every figure is converted to it (fx_rates)' },
      {
        key: 'ROI_FREIGHT_LANE',
        label: 'Default freight lane',
        help: 'carrier:origin:destination:service used for landed cost',
      },
      { key: 'ROI_REFRESH_CRON', label: 'ROI refresh', unit: 'cron', help: 'when ROI is recomputed (UTC)' },
    ],
  },
  {
    id: 'vat',
    title: 'VAT',
    specs: [
      {
        key: 'VAT_RATE',
        label: 'Standard VAT rate',
        unit: 'fraction',
        help: "unset: the marketplace's standard rate",
        fallback: (vat) => vat.rate,
      },
      {
        key: 'VAT_REGISTERED',
        label: 'VAT-registered',
        unit: 'boolean',
        help: 'registered sellers keep the net price; unset: registered wherever prices include VAT',
        fallback: (vat) => vat.registered,
      },
    ],
  },
  {
    id: 'repricer',
    title: 'Repricer',
    specs: [
      {
        key: 'REPRICER_MODE',
        label: 'Mode',
        help: 'dry_run: decide and log only; apply: also our price book; live: also Amazon',
      },
      {
        key: 'REPRICER_MIN_ROI',
        label: 'Minimum ROI (floor)',
        unit: 'fraction',
        help: 'the floor is the price that keeps this ROI',
      },
      {
        key: 'REPRICER_MAX_STEP_PCT',
        label: 'Largest change per run',
        unit: 'percent',
        help: 'except raising to the floor',
      },
      {
        key: 'REPRICER_BREAKER_PCT',
        label: 'Circuit breaker',
        unit: 'percent',
        help: 'a run writes nothing when more listings than this would drop over 20 %',
      },
      {
        key: 'REPRICER_SUBMIT_PER_SECOND',
        label: 'Submissions per second',
        help: 'live mode: price updates sent to Amazon per second',
      },
      { key: 'REPRICER_CRON', label: 'Schedule', unit: 'cron', help: 'when the repricer runs (UTC)' },
      {
        key: 'OFFERS_DEBOUNCE_MS',
        label: 'Offer-change debounce (ms)',
        help: 'a notified ASIN is decided this long after its last notification',
      },
    ],
  },
  {
    id: 'restock',
    title: 'Restock',
    specs: [
      {
        key: 'RESTOCK_SERVICE_LEVEL',
        label: 'Service level',
        unit: 'fraction',
        help: 'chance of not stocking out during lead time; sets the safety stock',
      },
      {
        key: 'RESTOCK_COVER_DAYS',
        label: 'Target days of cover',
        unit: 'days',
        help: 'Amazon charges a low-inventory fee under 28 days of supply',
      },
      {
        key: 'RESTOCK_TRANSIT_DAYS',
        label: 'Inbound transit',
        unit: 'days',
        help: 'added to the vendor lead time',
      },
      { key: 'RESTOCK_CRON', label: 'Schedule', unit: 'cron', help: 'when the weekly plan is made (UTC)' },
    ],
  },
  {
    id: 'sources',
    title: 'Data sources',
    specs: [
      { key: 'KEEPA_KEY', label: 'Keepa API key', secret: true, help: 'buy box, sales rank and offers' },
      { key: 'KEEPA_CRON', label: 'Keepa schedule', unit: 'cron', help: 'when market data is fetched (UTC)' },
      {
        key: 'SP_API_CLIENT_ID',
        label: 'SP-API client id',
        secret: true,
        help: 'Amazon Selling Partner API app',
      },
      {
        key: 'SP_API_CLIENT_SECRET',
        label: 'SP-API client secret',
        secret: true,
        help: 'Amazon Selling Partner API app',
      },
      {
        key: 'SP_API_REFRESH_TOKEN',
        label: 'SP-API refresh token',
        secret: true,
        help: "the seller's authorisation",
      },
      { key: 'SP_API_REGION', label: 'SP-API region', help: 'na, eu or fe' },
      { key: 'SP_API_SELLER_ID', label: 'Seller id', help: 'needed for live repricing' },
      {
        key: 'OFFERS_SQS_QUEUE_URL',
        label: 'Offer notifications queue',
        help: 'the SQS queue Amazon delivers ANY_OFFER_CHANGED to (awa offers subscribe)',
      },
      {
        key: 'HELIUM10_KEY',
        label: 'Helium 10 API key',
        secret: true,
        help: 'fee estimates when SP-API has none',
      },
      { key: 'FEES_CRON', label: 'Fees schedule', unit: 'cron', help: 'when fees are refreshed (UTC)' },
      {
        key: 'SYNC_CRON',
        label: 'Reports sync schedule',
        unit: 'cron',
        help: 'when Amazon reports that are due are pulled from SP-API (UTC)',
      },
    ],
  },
  {
    id: 'system',
    title: 'System',
    specs: [
      {
        key: 'DATABASE_URL',
        label: 'Database',
        secret: true,
        help: 'unset: the embedded PostgreSQL under the data directory',
      },
      { key: 'REDIS_URL', label: 'Redis', secret: true, help: 'unset: in-process cache and rate limits' },
      { key: 'STORAGE_DRIVER', label: 'File storage', help: 'local directory or S3' },
      { key: 'S3_SECRET_ACCESS_KEY', label: 'S3 secret key', secret: true, help: 'for STORAGE_DRIVER=s3' },
      {
        key: 'SESSION_IDLE_MINUTES',
        label: 'Sign-out after idle',
        unit: 'minutes',
        help: 'web app sessions',
      },
      { key: 'SESSION_MAX_HOURS', label: 'Longest session', unit: 'hours', help: 'from sign-in' },
      {
        key: 'AUDIT_RETENTION_DAYS',
        label: 'Audit log kept',
        unit: 'days',
        help: 'older entries are deleted by maintenance',
      },
      { key: 'UPLOAD_MAX_BYTES', label: 'Largest upload', unit: 'bytes', help: 'price lists and reports' },
    ],
  },
];

function text(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, number>)
      .map(([k, n]) => `${k}=${Math.round(n * 1000) / 1000}`)
      .join(',');
  }
  return String(v);
}

function setting(
  c: Config,
  set: ReadonlySet<string>,
  vat: { rate: number; registered: boolean },
  s: Spec,
): Setting {
  const fromEnv = set.has(s.key);
  const raw = c[s.key] ?? (fromEnv ? undefined : s.fallback?.(vat));
  const configured = raw !== undefined && raw !== null && !(Array.isArray(raw) && raw.length === 0);
  return {
    key: s.key,
    label: s.label,
    value: s.secret ? null : text(raw),
    unit: s.unit ?? 'text',
    source: fromEnv ? 'environment' : 'default',
    variable: s.key,
    secret: Boolean(s.secret),
    configured,
    editable: false,
    help: s.help,
  };
}

/** Every group with its values; the reduced VAT rates (database) are summarised in the VAT group. */
export async function effectiveSettings(deps: {
  config: Config;
  db: Db;
}): Promise<{ groups: SettingsGroup[] }> {
  const vat = await listVat(deps);
  const set = variablesSet(deps.config);
  const groups = GROUPS.map((g) => ({
    id: g.id,
    title: g.title,
    items: g.specs.map((s) => setting(deps.config, set, vat, s)),
  }));
  groups
    .find((g) => g.id === 'vat')!
    .items.push({
      key: 'vat_reduced_rates',
      label: 'Reduced VAT rates',
      value: String(vat.reduced.length),
      unit: 'text',
      source: 'database',
      variable: null,
      secret: false,
      configured: vat.reduced.length > 0,
      editable: true,
      help: 'per category or ASIN (books, food…); they win over the standard rate',
    });
  return { groups };
}
