import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { Cron } from 'croner';
import { z } from 'zod';
import { AppError } from './errors.ts';
import { webhookUrlProblem } from './http/url.ts';

/**
 * The one place that reads process.env. Every variable is listed here with its default; README.md
 * and .env.example mirror this table (a test keeps them in step).
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.join(' or ')}//`,
  );
const cron = z.string().refine((v) => {
  try {
    new Cron(v, { paused: true });
    return true;
  } catch {
    return false;
  }
}, 'must be a cron expression such as "30 3 * * *"');
const optional = <T extends z.ZodType>(t: T) => t.optional();
const commaList = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  );
/** A decimal number within [min, max] (e.g. `0.15`, `-0.5`, `20`). */
const fraction = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a number such as 0.15')
    .transform(Number)
    .pipe(z.number().min(min).max(max));

/**
 * Fastify's `trustProxy`: `true` (trust every proxy), a hop count, or the proxies' addresses/CIDRs.
 * Only with it are X-Forwarded-For/-Proto believed (client IP for rate limits, https for cookies).
 */
const trustProxy = z.string().transform((s, ctx): boolean | number | string[] => {
  if (s === 'true' || s === 'false') return s === 'true';
  if (/^\d+$/.test(s)) return Number(s);
  const list = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = list.filter((x) => {
    const [addr, bits, more] = x.split('/');
    const v = isIP(addr ?? '');
    if (v === 0 || more !== undefined) return true;
    return bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (v === 4 ? 32 : 128));
  });
  if (list.length === 0 || bad.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `must be true, a hop count, or a comma list of IP addresses/CIDRs (bad: ${bad.join(', ') || 'empty'})`,
    });
    return z.NEVER;
  }
  return list;
});

export const SCORE_COMPONENTS = ['profitability', 'demand', 'competition', 'stability', 'returns'] as const;
export type ScoreComponent = (typeof SCORE_COMPONENTS)[number];

/** `name=weight,…` → weights summing to 1; every component must be named once. */
function parseWeights(s: string, ctx: z.RefinementCtx): Record<ScoreComponent, number> {
  const out: Partial<Record<ScoreComponent, number>> = {};
  for (const part of s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, value] = part.split('=').map((x) => x.trim());
    const w = Number(value);
    if (
      !SCORE_COMPONENTS.includes(name as ScoreComponent) ||
      !/^\d+(\.\d+)?$/.test(value ?? '') ||
      out[name as ScoreComponent] !== undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        message: `"${part}" is not name=weight with a known, unrepeated name (${SCORE_COMPONENTS.join(', ')})`,
      });
      return z.NEVER;
    }
    out[name as ScoreComponent] = w;
  }
  const total = Object.values(out).reduce((a, b) => a + b, 0);
  const missing = SCORE_COMPONENTS.filter((c) => out[c] === undefined);
  if (missing.length > 0 || total <= 0) {
    ctx.addIssue({
      code: 'custom',
      message: missing.length ? `missing ${missing.join(', ')}` : 'weights sum to 0',
    });
    return z.NEVER;
  }
  return Object.fromEntries(SCORE_COMPONENTS.map((c) => [c, out[c]! / total])) as Record<
    ScoreComponent,
    number
  >;
}

const severity = z.enum(['info', 'warning', 'critical'], { message: 'must be info, warning or critical' });

export interface AlertTiming {
  groupWaitS: number;
  groupIntervalS: number;
  repeatIntervalS: number;
}
const DURATION = /^(\d{1,6})(s|m|h|d)$/;
const seconds = (v: string) => {
  const m = DURATION.exec(v);
  return m ? Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as 's' | 'm' | 'h' | 'd'] : undefined;
};

/** `critical=1s/3s/4h,…`: every severity's group_wait/group_interval/repeat_interval. */
function parseTiming(s: string, ctx: z.RefinementCtx): Record<'info' | 'warning' | 'critical', AlertTiming> {
  const out: Partial<Record<string, AlertTiming>> = {};
  for (const part of s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [sev, spec] = part.split('=');
    const t = (spec ?? '').split('/').map(seconds);
    if (
      !['info', 'warning', 'critical'].includes(sev ?? '') ||
      t.length !== 3 ||
      t.some((x) => x === undefined)
    ) {
      ctx.addIssue({
        code: 'custom',
        message: `"${part}" is not severity=wait/interval/repeat such as critical=1s/3s/4h`,
      });
      return z.NEVER;
    }
    out[sev!] = {
      groupWaitS: t[0]!,
      groupIntervalS: Math.max(1, t[1]!),
      repeatIntervalS: Math.max(60, t[2]!),
    };
  }
  const missing = ['info', 'warning', 'critical'].filter((k) => !out[k]);
  if (missing.length) {
    ctx.addIssue({ code: 'custom', message: `needs all three severities (missing ${missing.join(', ')})` });
    return z.NEVER;
  }
  return out as Record<'info' | 'warning' | 'critical', AlertTiming>;
}

export const ROLES = ['api', 'worker', 'scheduler'] as const;
export type Role = (typeof ROLES)[number];

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(8000),
  AWA_ROLES: z
    .string()
    .default(ROLES.join(','))
    .transform((s) => s.split(',').map((r) => r.trim()))
    .pipe(z.array(z.enum(ROLES, { message: `roles are ${ROLES.join(', ')}` })).min(1)),
  AWA_DATA_DIR: z.string().min(1).default('./data'),
  AWA_MARKETPLACE: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be a 2-letter marketplace code such as DE')
    .default('DE'),
  AWA_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .default('EUR'),
  DATABASE_URL: optional(url(['postgres:', 'postgresql:'])),
  EMBEDDED_PG_PORT: int(1, 65535).default(54329),
  DB_POOL_MAX: int(1, 500).default(10),
  DB_CONNECT_TIMEOUT_MS: int(100, 120000).default(5000),
  REDIS_URL: optional(url(['redis:', 'rediss:'])),
  STORAGE_DRIVER: optional(z.enum(['local', 's3'], { message: 'must be local or s3' })),
  S3_ENDPOINT: optional(url(['http:', 'https:'])),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: optional(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'is not a valid bucket name')),
  S3_ACCESS_KEY_ID: optional(z.string().min(1)),
  S3_SECRET_ACCESS_KEY: optional(z.string().min(1)),
  S3_FORCE_PATH_STYLE: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CLI_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  LOG_PRETTY: optional(bool),
  BODY_LIMIT_BYTES: int(1024, 1024 ** 3).default(1024 * 1024),
  CORS_ORIGINS: commaList,
  RATE_LIMIT_PER_MINUTE_VIEWER: int(1, 1_000_000).default(600),
  RATE_LIMIT_PER_MINUTE_OPS: int(1, 1_000_000).default(1200),
  RATE_LIMIT_PER_MINUTE_ADMIN: int(1, 1_000_000).default(1200),
  TRUST_PROXY: trustProxy.default(false),
  // browser sessions (web app sign-in): idle limit, and the absolute limit from sign-in
  SESSION_IDLE_MINUTES: int(1, 525_600).default(720),
  SESSION_MAX_HOURS: int(1, 8784).default(168),
  UPLOAD_MAX_BYTES: int(1024, 1024 ** 4).default(512 * 1024 ** 2),
  IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES: int(1024 ** 2, 1024 ** 4).default(2 * 1024 ** 3),
  IMPORT_TIMEOUT_SECONDS: int(1, 86_400).default(3600),
  JOBS_MAINTENANCE_INTERVAL_SECONDS: int(1, 3600).default(120),
  MAINTENANCE_CRON: cron.default('30 3 * * *'),
  AUDIT_RETENTION_DAYS: int(1, 3650).default(90),
  REPRICER_LOG_RETENTION_DAYS: int(1, 3650).default(30),
  ROI_REFRESH_CRON: cron.default('*/15 * * * *'),
  // five minutes after each ROI refresh: the safety net of the rules writers evaluate themselves
  DECISIONS_CRON: cron.default('5-59/15 * * * *'),
  // a fraction, not a percentage: 19 would silently mean 1900 %. Unset: the marketplace's standard
  // rate (src/domains/roi/vat.ts)
  VAT_RATE: optional(
    z
      .string()
      .regex(/^0(\.\d{1,4})?$/, 'must be a fraction below 1 with up to 4 decimals, such as 0.19 for 19 %')
      .transform(Number),
  ),
  // unset: registered wherever the marketplace's prices include VAT
  VAT_REGISTERED: optional(bool),
  ROI_FREIGHT_LANE: z
    .string()
    .regex(
      /^[A-Za-z0-9_.-]{1,40}:[A-Z]{2}:[A-Z]{2}:[A-Za-z0-9_.-]{1,40}$/,
      'must be carrier:origin:dest:service such as DHL:DE:DE:standard',
    )
    .default('DHL:DE:DE:standard'),
  SHUTDOWN_TIMEOUT_MS: int(100, 600000).default(10000),
  // market-data agents (SPEC §5): an agent without its credentials records a skipped run
  KEEPA_KEY: optional(z.string().min(1)),
  KEEPA_BASE_URL: url(['http:', 'https:']).default('https://api.keepa.com'),
  KEEPA_CRON: cron.default('0 * * * *'),
  KEEPA_STALE_HOURS: int(1, 24 * 365).default(24),
  SP_API_CLIENT_ID: optional(z.string().min(1)),
  SP_API_CLIENT_SECRET: optional(z.string().min(1)),
  SP_API_REFRESH_TOKEN: optional(z.string().min(1)),
  SP_API_REGION: z.enum(['na', 'eu', 'fe'], { message: 'must be na, eu or fe' }).default('eu'),
  SP_API_MARKETPLACE_ID: optional(
    z.string().regex(/^[A-Z0-9]{10,16}$/, 'is not a marketplace id such as A1PA6795UKMFR9'),
  ),
  SP_API_LWA_URL: url(['http:', 'https:']).default('https://api.amazon.com/auth/o2/token'),
  SP_API_BASE_URL: optional(url(['http:', 'https:'])),
  HELIUM10_KEY: optional(z.string().min(1)),
  HELIUM10_BASE_URL: url(['http:', 'https:']).default('https://members.helium10.com/api/v1'),
  FEES_CRON: cron.default('0 4 * * *'),
  // reports pulled from SP-API (issue 16): the agent wakes this often and runs what is due
  SYNC_CRON: cron.default('*/15 * * * *'),
  // unset: every marketplace the seller participates in (Sellers API) that AWA knows
  SYNC_MARKETPLACES: commaList.pipe(
    z.array(z.string().regex(/^[A-Z]{2}$/, 'each must be a 2-letter marketplace code such as DE')),
  ),
  LOGISTICS_SOURCES: commaList,
  LOGISTICS_CRON: cron.default('0 5 * * *'),
  // pricing and planning agents (SPEC §7–§9)
  SCORING_CRON: cron.default('0 2 * * *'),
  SCORING_WEIGHTS: z
    .string()
    .default('profitability=0.35,demand=0.25,competition=0.15,stability=0.15,returns=0.10')
    .transform((s, ctx) => parseWeights(s, ctx)),
  REPRICER_CRON: cron.default('*/15 * * * *'),
  REPRICER_MODE: z
    .enum(['dry_run', 'apply', 'live'], { message: 'must be dry_run, apply or live' })
    .default('dry_run'),
  REPRICER_MIN_ROI: fraction(-0.99, 10).default(0.15),
  REPRICER_MAX_STEP_PCT: fraction(0.1, 100).default(10),
  REPRICER_BREAKER_PCT: fraction(0, 100).default(20),
  REPRICER_SUBMIT_PER_SECOND: fraction(0.01, 100).default(5),
  SP_API_SELLER_ID: optional(
    z.string().regex(/^[A-Z0-9]{8,20}$/, 'is not a seller (merchant) id such as A2EXAMPLE1SELLER'),
  ),
  // offers, pushed (issue 16): Amazon's ANY_OFFER_CHANGED notifications arrive on an SQS queue
  OFFERS_SQS_QUEUE_URL: optional(url(['http:', 'https:'])),
  OFFERS_SQS_ARN: optional(
    z.string().regex(/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/, 'is not an SQS queue ARN'),
  ),
  OFFERS_SQS_REGION: optional(
    z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'is not an AWS region such as eu-west-1'),
  ),
  OFFERS_SQS_ENDPOINT: optional(url(['http:', 'https:'])),
  OFFERS_SQS_ACCESS_KEY_ID: optional(z.string().min(1)),
  OFFERS_SQS_SECRET_ACCESS_KEY: optional(z.string().min(1)),
  OFFERS_DEBOUNCE_MS: int(0, 600_000).default(2000),
  OFFERS_CRON: cron.default('* * * * *'),
  RESTOCK_CRON: cron.default('0 6 * * 1'),
  RESTOCK_TRANSIT_DAYS: int(0, 365).default(10),
  RESTOCK_COVER_DAYS: int(1, 365).default(35),
  RESTOCK_SERVICE_LEVEL: fraction(0.5, 0.9999).default(0.95),
  // alerts and notifications (SPEC §11): a channel without its variables is simply not used
  ALERTS_CRON: cron.default('* * * * *'),
  ALERT_GROUP_BY: z
    .string()
    .default('type')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.enum(['type', 'asin', 'vendor_id', 'marketplace'], {
          message: 'labels are type, asin, vendor_id, marketplace',
        }),
      ),
    ),
  // per severity: group_wait/group_interval/repeat_interval (Alertmanager's three timers)
  ALERT_TIMING: z
    .string()
    .default('critical=1s/3s/4h,warning=30s/5m/12h,info=2m/30m/24h')
    .transform((s, ctx) => parseTiming(s, ctx)),
  ALERT_QUEUE_BACKLOG: int(1, 10_000_000).default(200),
  TELEGRAM_BOT_TOKEN: optional(
    z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'is not a bot token such as 123456:ABC-DEF… (from @BotFather)'),
  ),
  TELEGRAM_CHAT_ID: commaList.pipe(
    z.array(
      z
        .string()
        .regex(
          /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/,
          'each must be a numeric chat id (-100…) or @channelname',
        ),
    ),
  ),
  TELEGRAM_API_BASE_URL: url(['http:', 'https:']).default('https://api.telegram.org'),
  TELEGRAM_MIN_SEVERITY: severity.default('warning'),
  SMTP_URL: optional(url(['smtp:', 'smtps:'])),
  ALERT_EMAIL_TO: commaList.pipe(
    z.array(z.string().regex(/^[^@\s,]+@[^@\s,]+$/, 'each must be an e-mail address')),
  ),
  ALERT_EMAIL_FROM: z.string().min(3).default('AWA <awa@localhost>'),
  ALERT_EMAIL_MIN_SEVERITY: severity.default('info'),
  ALERT_EMAIL_DIGEST_MINUTES: int(1, 1440).default(60),
  WEBHOOK_URLS: commaList.pipe(
    z.array(
      z.string().superRefine((v, ctx) => {
        const p = webhookUrlProblem(v);
        if (p) ctx.addIssue({ code: 'custom', message: `${v.replace(/\?.*$/, '')} ${p}` });
      }),
    ),
  ),
  WEBHOOK_SECRET: optional(
    z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, 'must be whsec_ followed by base64 (24 random bytes or more)'),
  ),
});

type Parsed = z.infer<typeof schema>;
export type Config = Readonly<
  Omit<Parsed, 'STORAGE_DRIVER'> & {
    STORAGE_DRIVER: 'local' | 's3';
    dataDir: string;
  }
>;

/** Variables from `.env` in the working directory fill in what the real environment leaves unset. */
export function readEnv(cwd = process.cwd()): Record<string, string | undefined> {
  const file = path.join(cwd, '.env');
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

export function loadConfig(env: Record<string, string | undefined> = readEnv()): Config {
  // Empty strings (e.g. `REDIS_URL=` in a compose file) mean "unset", not "invalid".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  const problems = result.success
    ? []
    : result.error.issues.map(
        (i) => `${String(i.path[0])}=${show(String(i.path[0]), cleaned[String(i.path[0])])}: ${i.message}`,
      );
  problems.push(...crossChecks(cleaned));
  if (!result.success || problems.length > 0) {
    throw new AppError('config', `invalid configuration:\n  - ${problems.join('\n  - ')}`, { problems });
  }
  const c = result.data;
  const driver = c.STORAGE_DRIVER ?? (c.S3_BUCKET ? 's3' : 'local');
  const config: Config = Object.freeze({
    ...c,
    STORAGE_DRIVER: driver,
    dataDir: path.resolve(c.AWA_DATA_DIR),
  });
  SET_BY_ENV.set(config, new Set(Object.keys(cleaned).filter((k) => k in schema.shape)));
  return config;
}

const SET_BY_ENV = new WeakMap<Config, ReadonlySet<string>>();

/**
 * The variables the environment (or `.env`) set for this configuration; every other value is its
 * default. The Settings page shows each value's source from it.
 */
export function variablesSet(config: Config): ReadonlySet<string> {
  return SET_BY_ENV.get(config) ?? new Set();
}

/** Rules spanning several variables; on the raw values, so they are reported alongside type errors. */
function crossChecks(c: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  const s3 = c.STORAGE_DRIVER === 's3' || (!c.STORAGE_DRIVER && c.S3_BUCKET);
  if (s3 && !c.S3_BUCKET) out.push('S3_BUCKET: required when STORAGE_DRIVER=s3');
  if (s3 && Boolean(c.S3_ACCESS_KEY_ID) !== Boolean(c.S3_SECRET_ACCESS_KEY)) {
    out.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both or neither');
  }
  if (Boolean(c.OFFERS_SQS_ACCESS_KEY_ID) !== Boolean(c.OFFERS_SQS_SECRET_ACCESS_KEY)) {
    out.push('OFFERS_SQS_ACCESS_KEY_ID and OFFERS_SQS_SECRET_ACCESS_KEY: set both or neither');
  }
  if (c.WEBHOOK_URLS && !c.WEBHOOK_SECRET) out.push('WEBHOOK_SECRET: required when WEBHOOK_URLS is set');
  if (c.TELEGRAM_CHAT_ID && !c.TELEGRAM_BOT_TOKEN)
    out.push('TELEGRAM_BOT_TOKEN: required when TELEGRAM_CHAT_ID is set');
  if (c.ALERT_EMAIL_TO && !c.SMTP_URL) out.push('SMTP_URL: required when ALERT_EMAIL_TO is set');
  return out;
}

/** Shows a bad value in an error without leaking secrets (keys, passwords inside URLs). */
function show(key: string, v: unknown): string {
  if (v === undefined) return '(unset)';
  if (/SECRET|KEY_ID|TOKEN|PASSWORD/.test(key)) return '(hidden)';
  const s = String(v).replace(/\/\/[^/@]*@/, '//***@');
  return s.length > 60 ? `${JSON.stringify(s.slice(0, 57))}…` : JSON.stringify(s);
}

/** Names of every variable the config reads, for docs checks. */
export const CONFIG_VARIABLES = Object.keys(schema.shape);
