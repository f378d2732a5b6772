import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type pg from 'pg';
import { countMatches, pageQuery } from '../src/domains/roi/roi.repo.ts';
import {
  matchFirst,
  type RoiQuery,
  roiSettingsFrom,
  toFilter,
  updateRoi,
} from '../src/domains/roi/roi.service.ts';
import { loadConfig } from '../src/platform/config.ts';
import { connectDb, type Db } from '../src/platform/db/pool.ts';
import {
  type BenchDb,
  cpuSeconds,
  createToken,
  expectEqual,
  freshBenchDb,
  type RunningAwa,
  round,
  secondsSince,
  startAwa,
  treeCpuSeconds,
} from './roi-harness.ts';

/**
 * ROI figures on this machine, on a fresh embedded PostgreSQL:
 * - seeding a realistic catalogue with set-based SQL (200,000 ASINs × 3 vendors = 600,000 offers;
 *   products, EANs, fees, three buy box points per ASIN, fx, freight lanes; a few per cent flagged);
 * - keeping roi_offers current: the first build (empty → 600k rows), a rebuild with nothing changed,
 *   the update after 1 % of one vendor's price list changed, and one with nothing changed;
 * - GET /api/v1/roi under a fixed load (autocannon, 200 req/s over 10 connections) against
 *   `awa start --roles api` as a child process: a filtered, sorted deep page and search queries,
 *   with an EXPLAIN ANALYZE of the page and count statements each request runs.
 */

const CATEGORIES = [
  'Küche & Haushalt',
  'Spielzeug',
  'Baumarkt',
  'Drogerie & Körperpflege',
  'Sport & Freizeit',
  'Garten',
  'Bürobedarf & Schreibwaren',
  'Haustier',
  'Auto & Motorrad',
  'Beleuchtung',
  'Elektronik & Foto',
  'Baby',
  'Lebensmittel & Getränke',
  'Bekleidung',
  'Schuhe & Handtaschen',
  'Koffer, Rucksäcke & Taschen',
  'Musikinstrumente',
  'Computer & Zubehör',
  'Kosmetik',
  'Uhren',
  'Schmuck',
  'Bücher',
  'Games',
  'Gewerbe, Industrie & Wissenschaft',
];
const BRAND_HEADS = ['Kaiser', 'Nord', 'Alpen', 'Rhein', 'Sonnen', 'Eichen', 'Berg', 'Stern', 'Wald', 'Blau'];
const BRAND_TAILS = ['hof', 'werk', 'mann', 'tec', 'haus', 'line'];
const NOUNS = [
  'Thermoskanne',
  'Küchenmesser',
  'Gießkanne',
  'Handtuchhalter',
  'Schneidebrett',
  'Kaffeemühle',
  'Trinkflasche',
  'Brotdose',
  'Taschenlampe',
  'Werkzeugkoffer',
  'Akkuschrauber',
  'Fahrradschloss',
  'Yogamatte',
  'Hundeleine',
  'Katzenbaum',
  'Schreibtischlampe',
  'Notizbuch',
  'Rucksack',
  'Regenschirm',
  'Bettwäsche',
  'Kissenbezug',
  'Wanduhr',
  'Bilderrahmen',
  'Duftkerze',
  'Zahnbürste',
  'Haarbürste',
  'Spielzeugauto',
  'Puzzle',
  'Bausteine',
  'Plüschtier',
  'Gartenschlauch',
  'Blumentopf',
  'Vogelhaus',
  'Kühlbox',
  'Grillzange',
  'Auflaufform',
  'Pfannenset',
  'Messbecher',
  'USB-Kabel',
  'Ladegerät',
];
const ADJECTIVES = [
  'Edelstahl',
  'Bambus',
  'rutschfest',
  'wasserdicht',
  'faltbar',
  'für Kinder',
  'mit Griff',
  'extra stark',
  'XXL',
  'kompakt',
  'Premium',
  'BPA-frei',
  'Set 3-teilig',
  'Vintage',
  'ergonomisch',
];
const COLOURS = ['schwarz', 'weiß', 'grau', 'blau', 'rot', 'grün', 'beige', 'anthrazit', 'rosa', 'gelb'];

/** The title word of the search query: one noun of forty, so about 2.5 % of ASINs. */
const SEARCH_WORD = 'thermoskanne';
const LOAD = { rate: 200, connections: 10, seconds: 20, warmupSeconds: 3 };
const TARGET_P99_MS = 30;

/** `arr[1 + floor(n × u(g, salt))]` of a text[] parameter: a deterministic pick per row. */
const pick = (param: string, salt: number) =>
  `(${param}::text[])[1 + floor(cardinality(${param}::text[]) * bench_u(g, ${salt}))::int]`;

/** Everything in one transaction of set-based statements; returns the row counts. */
export async function seedRoiCatalogue(c: pg.PoolClient, asins: number): Promise<Record<string, number>> {
  const n: Record<string, number> = {};
  const run = async (name: string, text: string, values: unknown[] = []) => {
    const r = await c.query(text, values);
    if (name) n[name] = r.rowCount ?? 0;
    return r;
  };
  await c.query('BEGIN');
  // uniform [0, 1) from (row, salt): deterministic and parallel-safe, unlike random()
  await run(
    '',
    `CREATE FUNCTION bench_u(g bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
     AS $$ SELECT (hashint8extended(g, salt) & 2147483647)::float8 / 2147483648 $$`,
  );
  // per ASIN: the ASIN (odd multiplier mod 2^32: a bijection), EAN-13, gross buy box, weight, gaps
  await run(
    '',
    `CREATE UNLOGGED TABLE bench_items AS
     SELECT g,
            'B0' || lpad(upper(to_hex((g * 2654435761) % 4294967296)), 8, '0') AS asin,
            e.body || (10 - (SELECT sum(substr(e.body, k, 1)::int * CASE WHEN k % 2 = 0 THEN 3 ELSE 1 END)
                             FROM generate_series(1, 12) k) % 10) % 10 AS ean,
            round((10 + 80 * bench_u(g, 1) ^ 1.7)::numeric, 2) AS buybox,
            CASE WHEN bench_u(g, 2) < 0.01 THEN NULL
                 ELSE round((0.05 + 2.95 * bench_u(g, 3) ^ 2)::numeric, 3) END AS weight_kg,
            bench_u(g, 4) < 0.02 AS no_fees,
            bench_u(g, 5) < 0.015 AS no_buybox
     FROM generate_series(1, $1::int) g, LATERAL (SELECT '400' || lpad(g::text, 9, '0') AS body) e`,
    [asins],
  );
  // category skewed (a few big ones, a long tail), brand, title from brand + noun + adjective + colour
  await run(
    'products',
    `INSERT INTO products (asin, title, brand, category, weight_kg, status)
     SELECT asin,
            brand || ' ' || ${pick('$3', 11)} || ' ' || ${pick('$4', 12)} || ', ' || ${pick('$5', 13)}
              || ', ' || (10 + floor(bench_u(g, 14) * 50))::int || ' cm',
            brand,
            ($1::text[])[1 + floor(cardinality($1::text[]) * bench_u(g, 15) ^ 1.6)::int],
            weight_kg,
            CASE WHEN bench_u(g, 16) < 0.05 THEN 'approved' WHEN bench_u(g, 16) < 0.07 THEN 'rejected'
                 ELSE 'pending' END
     FROM (SELECT i.*, ${pick('$2', 10)} || lower(${pick('$6', 17)}) AS brand FROM bench_items i) i`,
    [CATEGORIES, BRAND_HEADS, NOUNS, ADJECTIVES, COLOURS, BRAND_TAILS],
  );
  await run(
    'product_identifiers',
    `INSERT INTO product_identifiers (kind, value, asin) SELECT 'EAN', ean, asin FROM bench_items`,
  );
  await run(
    'fees',
    `INSERT INTO fees (marketplace, asin, referral, fulfilment, storage, currency, source, captured_at)
     SELECT 'DE', asin, round(buybox * 0.15, 2), round(2.70 + coalesce(weight_kg, 0.5) * 1.6, 2),
            round((0.05 + 0.5 * bench_u(g, 7))::numeric, 2), 'EUR', 'sp_api', now() - interval '3 days'
     FROM bench_items WHERE NOT no_fees`,
  );
  await run(
    'buybox_points',
    `INSERT INTO buybox_history (marketplace, asin, captured_at, price, currency, source)
     SELECT 'DE', i.asin, now() - make_interval(days => d.days) - bench_u(g, 8) * interval '6 hours',
            CASE WHEN d.days = 0 THEN i.buybox ELSE round(i.buybox * (0.9 + 0.2 * bench_u(g, 9 + d.days))::numeric, 2) END,
            'EUR', 'keepa'
     FROM bench_items i CROSS JOIN (VALUES (60), (20), (0)) d (days)
     WHERE NOT i.no_buybox`,
  );
  await run(
    'fx_rates',
    `INSERT INTO fx_rates (currency, as_of, rate, source)
     SELECT c.currency, current_date - d, c.rate * (1 + 0.002 * d), 'ecb'
     FROM (VALUES ('PLN', 0.2320), ('USD', 0.9210), ('GBP', 1.1650)) c (currency, rate),
          generate_series(0, 29) d`,
  );
  // the default lane (DHL:DE:DE:standard), an expired older DE rate, two PL lanes (the default
  // carrier/service wins over the cheaper one) and sea freight from China
  await run(
    'lanes',
    `INSERT INTO logistics_rates (carrier, origin, dest, service, effective_from, effective_to, eur_per_kg, source)
     VALUES ('DHL', 'DE', 'DE', 'standard', '1900-01-01', current_date - 366, 0.38, 'bench'),
            ('DHL', 'DE', 'DE', 'standard', current_date - 365, NULL, 0.45, 'bench'),
            ('DHL', 'PL', 'DE', 'standard', '1900-01-01', NULL, 0.60, 'bench'),
            ('DBSchenker', 'PL', 'DE', 'road', '1900-01-01', NULL, 0.50, 'bench'),
            ('Maersk', 'CN', 'DE', 'sea', '1900-01-01', NULL, 1.20, 'bench')`,
  );
  const v = await run(
    'vendors',
    `INSERT INTO vendors (name, country, currency, lead_time_days)
     VALUES ('Großhandel Müller & Söhne GmbH', 'DE', 'EUR', 3),
            ('Hurtownia Kowalski Sp. z o.o.', 'PL', 'PLN', 7),
            ('Shenzhen Bright Trading Co., Ltd.', 'CN', 'USD', 45)
     RETURNING id`,
  );
  // unit cost = gross buy box × a per-offer factor, in the vendor's currency. A third of the Chinese
  // vendor's offers have only an EAN (the view maps it to the ASIN); 1 % of the German vendor's are in
  // CHF, which has no fx rate (flag fx_missing).
  await run(
    'offers',
    `INSERT INTO vendor_prices (vendor_id, sku, asin, barcode, cost, currency, pack_size, moq)
     SELECT v.id, v.prefix || '-' || lpad(i.g::text, 7, '0'),
            CASE WHEN v.n = 3 AND bench_u(g, 20) < 0.33 THEN NULL ELSE i.asin END,
            i.ean,
            round((i.buybox * (v.lo + v.span * bench_u(g, 30 + v.n)) / v.fx)::numeric, 4),
            CASE WHEN v.n = 1 AND bench_u(g, 21) < 0.01 THEN 'CHF' ELSE v.currency END,
            (ARRAY[1, 1, 1, 6, 12, 24])[1 + floor(6 * bench_u(g, 40 + v.n))::int],
            (10 * floor(10 * bench_u(g, 50 + v.n)))::int
     FROM bench_items i
     CROSS JOIN (VALUES ($1::bigint, 1, 'MUE', 'EUR', 1.0, 0.18, 0.52),
                        ($2::bigint, 2, 'KOW', 'PLN', 0.2320, 0.16, 0.50),
                        ($3::bigint, 3, 'SZB', 'USD', 0.9210, 0.12, 0.48)) v (id, n, prefix, currency, fx, lo, span)`,
    v.rows.map((r) => Number(r.id)),
  );
  await run('', 'DROP TABLE bench_items');
  await run('', 'DROP FUNCTION bench_u(bigint, int)');
  await c.query('COMMIT');
  return n;
}

interface Explained {
  planning_ms: number;
  execution_ms: number;
  plan: string[];
}

/** EXPLAIN ANALYZE five times after a warm-up run (the load test runs warm too); the median run. */
async function explain(pool: pg.Pool, text: string, values: readonly unknown[]): Promise<Explained> {
  await pool.query(text, values as unknown[]);
  const runs: Explained[] = [];
  for (let i = 0; i < 5; i++) {
    const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values as unknown[]);
    const plan = rows.map((r) => String(r['QUERY PLAN']));
    const ms = (label: string) => Number(new RegExp(`${label}: ([\\d.]+) ms`).exec(plan.join('\n'))?.[1]);
    runs.push({ planning_ms: ms('Planning Time'), execution_ms: ms('Execution Time'), plan });
  }
  runs.sort((a, b) => a.execution_ms - b.execution_ms);
  return runs[2]!;
}

/** The two statements GET /roi runs for these parameters (page and total), explained. */
async function explainRoi(db: Db, q: RoiQuery) {
  const f = toFilter(q);
  const order = q.order ?? 'desc';
  const total = await countMatches(db.pool, f);
  const page = pageQuery(f, q.sort, order, q.page_size, (q.page - 1) * q.page_size, matchFirst(f, total));
  // the total: the same WHERE as roi.repo.ts's whereOf for the filters used here
  const where: string[] = ['r.best'];
  const values: unknown[] = [];
  if (f.roiMin !== undefined) where.push(`r.roi_pct >= $${values.push(f.roiMin)}`);
  if (f.category !== undefined) where.push(`r.category = $${values.push(f.category)}`);
  if (f.search !== undefined) where.push(`r.search LIKE '%' || lower($${values.push(f.search)}) || '%'`);
  const count = `SELECT count(*) AS n FROM roi_offers r WHERE ${where.join(' AND ')}`;
  return {
    page: await explain(db.pool, page.text, page.values),
    count: await explain(db.pool, count, values),
  };
}

function roiQuery(params: Record<string, string>): RoiQuery {
  return {
    roi_min: params.roi_min === undefined ? undefined : Number(params.roi_min),
    category: params.category,
    search: params.search,
    best_only: true,
    sort: (params.sort as RoiQuery['sort']) ?? 'roi',
    order: params.order as RoiQuery['order'],
    page: Number(params.page ?? 1),
    page_size: Number(params.page_size ?? 50),
  };
}

interface RoiPage {
  total: number;
  items: { asin: string; title: string | null; category: string | null; roi_pct: number | null }[];
}

/** One request by hand before the load: 200, a full page, every row matching the filter. */
async function checkByHand(url: string, token: string, check: (p: RoiPage) => void) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`roi bench: ${url} answered ${res.status}: ${body.slice(0, 500)}`);
  const page = JSON.parse(body) as RoiPage;
  check(page);
  const first = page.items[0];
  return {
    status: res.status,
    total: page.total,
    items: page.items.length,
    first: first && { asin: first.asin, title: first.title, roi_pct: first.roi_pct },
  };
}

interface Cpu {
  server: number;
  postgres: number;
}

function cpuNow(serverPid: number, postmasterPid: number): Cpu {
  return { server: cpuSeconds(serverPid), postgres: treeCpuSeconds(postmasterPid) };
}

/** One connection, one request at a time: service time without queueing. */
async function serial(url: string, token: string) {
  const r = await autocannon({
    url,
    headers: { authorization: `Bearer ${token}` },
    connections: 1,
    amount: 200,
  });
  return { requests: r.requests.total, p50_ms: r.latency.p50, p99_ms: r.latency.p99, non_2xx: r.non2xx };
}

async function load(url: string, token: string, cpu: () => Cpu) {
  const headers = { authorization: `Bearer ${token}` };
  const opts = { url, headers, connections: LOAD.connections, overallRate: LOAD.rate };
  await autocannon({ ...opts, duration: LOAD.warmupSeconds });
  const c0 = cpu();
  const r = await autocannon({ ...opts, duration: LOAD.seconds });
  const c1 = cpu();
  const perRequest = (a: number, b: number) => round(((b - a) * 1000) / Math.max(1, r.requests.total), 2);
  return {
    rate_req_s: LOAD.rate,
    connections: LOAD.connections,
    seconds: LOAD.seconds,
    requests: r.requests.total,
    achieved_req_s: round(r.requests.average, 1),
    saturated: r.requests.average < LOAD.rate * 0.95,
    latency_ms: {
      p50: r.latency.p50,
      p97_5: r.latency.p97_5,
      p99: r.latency.p99,
      max: r.latency.max,
      mean: round(r.latency.average),
    },
    non_2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    cpu_ms_per_request: {
      server: perRequest(c0.server, c1.server),
      postgres: perRequest(c0.postgres, c1.postgres),
    },
    meets_target_p99: r.latency.p99 < TARGET_P99_MS && r.non2xx === 0 && r.errors === 0,
  };
}

export async function benchRoi(opts: { asins: number }) {
  const loadBefore = os.loadavg().map((x) => round(x));
  let bench: BenchDb | undefined;
  let db: Db | undefined;
  let server: RunningAwa | undefined;
  try {
    bench = await freshBenchDb('roi');
    const { pool } = bench;
    console.error(`roi: seeding ${opts.asins.toLocaleString('en')} ASINs × 3 vendors…`);
    const t0 = performance.now();
    const c = await pool.connect();
    let counts: Record<string, number>;
    try {
      counts = await seedRoiCatalogue(c, opts.asins);
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      c.release();
    }
    const seedS = secondsSince(t0);
    expectEqual('offers seeded', counts.offers, opts.asins * 3);
    // autovacuum would analyze the new tables within a minute; the refresh plan depends on it
    const tAnalyze = performance.now();
    await pool.query('VACUUM (ANALYZE) products, product_identifiers, fees, buybox_history, vendor_prices');
    const analyzeS = secondsSince(tAnalyze);

    db = await connectDb(bench.url, { max: 4 });
    const settings = roiSettingsFrom(loadConfig({ VAT_RATE: '0.19' }));
    await pool.query('CHECKPOINT');
    console.error('roi: first build…');
    const first = await updateRoi(db, { settings, reason: 'bench:first' });
    expectEqual('rows in roi_offers', first.rows, opts.asins * 3);
    await pool.query('VACUUM (ANALYZE) roi_offers');
    await pool.query('CHECKPOINT');
    console.error('roi: rebuild with nothing changed…');
    const rebuild = await updateRoi(db, { settings, reason: 'bench:rebuild', rebuild: true });
    expectEqual('rows a rebuild of unchanged inputs rewrites', rebuild.deleted + rebuild.inserted, 0);
    // a 1 % price-list change: one vendor's list, every hundredth row repriced (as its import commits)
    const upd = await pool.query(
      `UPDATE vendor_prices SET cost = round(cost * 1.07, 4), updated_at = now()
       WHERE vendor_id = (SELECT min(id) FROM vendors) AND abs(hashtext(sku)) % 100 = 0`,
    );
    await pool.query('CHECKPOINT');
    console.error('roi: update after a 1 % price-list change…');
    const second = await updateRoi(db, { settings, reason: 'bench:changed' });
    expectEqual('mode after a 1 % change', second.mode, 'changes');
    const noop = await updateRoi(db, { settings, reason: 'bench:noop' });
    expectEqual('keys with nothing changed', noop.keys, 0);
    // what autovacuum would do after the refreshes' deletes and inserts; untimed
    await pool.query('VACUUM (ANALYZE) roi_offers');

    const { rows: shape } = await pool.query(
      `SELECT count(*) FILTER (WHERE best) AS asins,
              count(*) FILTER (WHERE cardinality(flags) > 0) AS flagged_offers,
              count(*) FILTER (WHERE asin_source = 'barcode') AS via_barcode,
              percentile_cont(ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY roi_pct)
                FILTER (WHERE best AND roi_pct IS NOT NULL) AS best_roi_percentiles,
              count(*) FILTER (WHERE best AND roi_pct >= 20) AS best_roi_20
       FROM roi_offers`,
    );
    const { rows: flagRows } = await pool.query(
      'SELECT f AS flag, count(*)::int AS n FROM roi_offers, unnest(flags) f GROUP BY 1 ORDER BY 1',
    );
    const { rows: cats } = await pool.query(
      `SELECT category, count(*)::int AS n FROM roi_offers WHERE best AND roi_pct >= 20
       GROUP BY 1 ORDER BY 2 DESC, 1`,
    );
    const { rows: sizes } = await pool.query(
      `SELECT pg_relation_size('roi_offers') AS heap, pg_indexes_size('roi_offers') AS indexes,
              current_setting('shared_buffers') AS shared_buffers`,
    );
    const largest = cats[0]!.category as string;
    const median = cats[Math.floor(cats.length / 2)]!.category as string;
    const { rows: pre } = await pool.query(
      'SELECT left(asin, 4) AS p FROM roi_offers WHERE best ORDER BY asin OFFSET $1 LIMIT 1',
      [Math.floor(opts.asins / 2)],
    );
    const asinPrefix = pre[0]!.p as string;

    const queries = {
      filtered_page: {
        roi_min: '20',
        category: median,
        sort: 'roi',
        order: 'desc',
        page: '3',
        page_size: '50',
      },
      search_title_word: { search: SEARCH_WORD },
      search_asin_prefix: { search: asinPrefix },
    } satisfies Record<string, Record<string, string>>;

    console.error('roi: EXPLAIN ANALYZE…');
    const explained: Record<string, Awaited<ReturnType<typeof explainRoi>>> = {};
    for (const [name, params] of Object.entries(queries))
      explained[name] = await explainRoi(db, roiQuery(params));
    explained.filtered_page_largest_category = await explainRoi(
      db,
      roiQuery({ ...queries.filtered_page, category: largest }),
    );

    const env = bench.env({ RATE_LIMIT_PER_MINUTE_VIEWER: '1000000' });
    const token = await createToken(env, 'viewer');
    server = await startAwa(['--roles', 'api'], env, path.join(bench.tmp, 'awa-start.log'));
    const base = server.base;
    const url = (params: Record<string, string>) => `${base}/api/v1/roi?${new URLSearchParams(params)}`;

    const checked = {
      filtered_page: await checkByHand(url(queries.filtered_page), token, (p) => {
        expectEqual('filtered page: items', p.items.length, Math.min(50, Math.max(0, p.total - 100)));
        for (const [i, it] of p.items.entries()) {
          if (it.category !== median || it.roi_pct === null || it.roi_pct < 20) {
            throw new Error(`roi bench: filtered page row ${i} does not match: ${JSON.stringify(it)}`);
          }
          if (i > 0 && it.roi_pct > p.items[i - 1]!.roi_pct!) throw new Error('roi bench: page not sorted');
        }
      }),
      search_title_word: await checkByHand(url(queries.search_title_word), token, (p) => {
        if (p.items.length === 0) throw new Error('roi bench: title search found nothing');
        for (const it of p.items) {
          if (!it.title?.toLowerCase().includes(SEARCH_WORD)) {
            throw new Error(`roi bench: search row without "${SEARCH_WORD}": ${JSON.stringify(it)}`);
          }
        }
      }),
      search_asin_prefix: await checkByHand(url(queries.search_asin_prefix), token, (p) => {
        if (p.items.length === 0) throw new Error('roi bench: ASIN prefix search found nothing');
      }),
    };

    const running = server;
    const postmaster = bench.server.pid;
    const cpu = () => cpuNow(running.pid, postmaster);
    const unloaded: Record<string, Awaited<ReturnType<typeof serial>>> = {};
    const loaded: Record<string, Awaited<ReturnType<typeof load>>> = {};
    for (const [name, params] of Object.entries(queries)) {
      console.error(`roi: load ${name} (${LOAD.rate} req/s, ${LOAD.seconds} s)…`);
      unloaded[name] = await serial(url(params), token);
      loaded[name] = await load(url(params), token, cpu);
    }
    await server.stop();

    const s = shape[0];
    return {
      asins: opts.asins,
      vendors: 3,
      offers: counts.offers,
      load_average: { before: loadBefore, after: os.loadavg().map((x) => round(x)) },
      seed: {
        seconds: seedS,
        vacuum_analyze_s: analyzeS,
        rows: {
          products: counts.products,
          product_identifiers: counts.product_identifiers,
          fees: counts.fees,
          buybox_points: counts.buybox_points,
          fx_rates: counts.fx_rates,
          freight_lanes: counts.lanes,
          offers: counts.offers,
        },
      },
      view: {
        rows: first.rows,
        asins: s.asins,
        offers_via_barcode: s.via_barcode,
        flagged_offers: s.flagged_offers,
        flags: Object.fromEntries(flagRows.map((r) => [r.flag, r.n])),
        best_roi_pct_p10_p25_p50_p75_p90: (s.best_roi_percentiles as number[]).map((x) => round(x, 1)),
        asins_best_roi_20: s.best_roi_20,
        categories: cats.length,
        heap_mb: Math.round(sizes[0].heap / 2 ** 20),
        indexes_mb: Math.round(sizes[0].indexes / 2 ** 20),
        shared_buffers: sizes[0].shared_buffers,
      },
      update: {
        first_build_ms: first.duration_ms,
        rebuild_nothing_changed_ms: rebuild.duration_ms,
        after_1pct_price_list_change_ms: second.duration_ms,
        changed_offers: upd.rowCount,
        asins_recomputed: second.asins,
        rows_rewritten: second.deleted + second.inserted,
        nothing_changed_ms: noop.duration_ms,
      },
      queries: Object.fromEntries(
        Object.entries(queries).map(([name, params]) => [
          name,
          `/api/v1/roi?${new URLSearchParams(params).toString()}`,
        ]),
      ),
      category_used: median,
      category_largest: largest,
      checked_by_hand: checked,
      explain_analyze: Object.fromEntries(
        Object.entries(explained).map(([name, e]) => [
          name,
          {
            page: { planning_ms: e.page.planning_ms, execution_ms: e.page.execution_ms },
            count: { planning_ms: e.count.planning_ms, execution_ms: e.count.execution_ms },
          },
        ]),
      ),
      plans: explained,
      server_start_ms: server.start_ms,
      serial_one_connection: unloaded,
      load: loaded,
      target_p99_ms: TARGET_P99_MS,
    };
  } finally {
    await server?.stop().catch(() => {});
    await db?.close().catch(() => {});
    await bench?.close();
  }
}
