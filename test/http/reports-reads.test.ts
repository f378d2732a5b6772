import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../src/jobs/registry.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { JobQueue } from '../../src/platform/jobs/index.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { Metrics } from '../../src/platform/metrics.ts';
import { fixture } from '../fixtures/reports/files.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

// What users read after ingesting reports: GET /reports/loads and GET /stats/returns, over files
// uploaded through POST /ingest and ingested by a worker.
let t: TestApp;
let worker: JobQueue;
let alice: string;
let bob: string;
let viewer: string;
const ALICE = `ops-alice-${process.pid}`;
const BOB = `ops-bob-${process.pid}`;

// The app's "today" is pinned, and every date here counts back from it: the fixture files carry
// fixed dates (September 2026), so windows counted back from the real today would reach them as the
// calendar moves on (in early December 2026 a window meant to be empty held the fixture's returns).
const NOW = '2026-11-28T10:00:00Z';
const DAY = 86_400_000;
const ago = (n: number) => new Date(Date.parse(NOW) - n * DAY).toISOString().slice(0, 10);
const A = 'B0STATS00A';
const B = 'B0STATS00B';
const C = 'B0STATS00C';

function form(fields: Record<string, string>, file: { name: string; content: string }) {
  const boundary = `----awa${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
  );
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n\r\n`,
    ),
    Buffer.from(file.content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: viewer } });

/** Uploads a file, waits for its job and returns the job as GET /jobs/{id} shows it. */
async function ingest(
  auth: string,
  name: string,
  lines: string[] | string,
  fields: Record<string, string> = {},
) {
  const f = form(fields, { name, content: Array.isArray(lines) ? `${lines.join('\n')}\n` : lines });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    payload: f.payload,
    headers: { ...f.headers, authorization: auth },
  });
  expect(res.statusCode, res.body).toBe(202);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const j = (await get(`/api/v1/jobs/${res.json().job_id}`)).json();
    if (['success', 'skipped', 'failed'].includes(j.status)) return j;
    if (Date.now() > deadline) throw new Error(`job did not finish: ${JSON.stringify(j)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const RETURNS = [
  // upstream's simple returns export, with refunds
  'ASIN\tOrder ID\tReturn Reason\tReturn Date\tQty\tRefund Amount\tCurrency',
  `${A}\t111-0000001-0000001\tDEFECTIVE\t${ago(5)}\t1\t10.00\tUSD`,
  `${A}\t111-0000001-0000002\tDEFECTIVE\t${ago(6)}\t2\t20.00\tUSD`,
  `${B}\t111-0000001-0000003\tUNWANTED_ITEM\t${ago(20)}\t1\t50.00\tUSD`,
  `${A}\t111-0000001-0000004\tNOT_AS_DESCRIBED\t${ago(120)}\t4\t40.00\tUSD`,
  `${C}\t111-0000001-0000005\tDEFECTIVE\t${ago(130)}\t1\t5.00\tUSD`,
];
const LEDGER = [
  readFileSync(fixture('ledger.tsv'), 'utf8').split('\n')[0]!,
  `${ago(10)}\tX001\t${A}\tSKU-A\tThing A\tShipments\t\t-10\tPHX7\tSELLABLE\t\tUS\t\t\t`,
  `${ago(3)}\tX002\t${B}\tSKU-B\tThing B\tShipments\t\t-4\tPHX7\tSELLABLE\t\tUS\t\t\t`,
  `${ago(4)}\tX002\t${B}\tSKU-B\tThing B\tReceipts\t\t40\tPHX7\tSELLABLE\t\tUS\t\t\t`,
  `${ago(125)}\tX001\t${A}\tSKU-A\tThing A\tShipments\t\t-6\tPHX7\tSELLABLE\t\tUS\t\t\t`,
];
const dayFirst = (iso: string) => iso.split('-').reverse().join('.');
const REIMBURSEMENTS = [
  readFileSync(fixture('reimbursements-de.csv'), 'latin1').split(/\r?\n/)[0]!,
  `${dayFirst(ago(4))} 10:00;9000000001;;;CustomerReturn;SKU-A;X001;${A};Thing A;NewItem;EUR;12,35;12,35;1;0;1;;`,
];
const FIXTURE_RETURNS = readFileSync(fixture('returns.tsv'), 'utf8');

beforeAll(async () => {
  t = await createTestApp({ env: { AWA_MARKETPLACE: 'US' }, clock: fixedClock(NOW) });
  worker = await JobQueue.open(t.tdb.url, JOBS, { worker: true, scheduler: false, log: silentLogger });
  await worker.work(t.deps, new Metrics());
  alice = await t.bearer('ops', ALICE);
  bob = await t.bearer('ops', BOB);
  viewer = await t.bearer('viewer');

  // four loads, one at a time (so their order is known) …
  const ok = [
    await ingest(alice, 'stats-returns.tsv', RETURNS, { type: 'returns' }),
    await ingest(bob, 'stats-ledger.tsv', LEDGER),
    await ingest(alice, 'stats-reimb.csv', REIMBURSEMENTS, { marketplace: 'DE' }),
    await ingest(bob, 'bad.tsv', FIXTURE_RETURNS.replace('2026-09-02T22:01:05+00:00', '2026-02-31'), {
      skip_invalid: 'true',
    }),
  ];
  for (const j of ok) expect(j.status, JSON.stringify(j)).toBe('success');
  // … and files that leave no load: skipped, dry run, rejected
  expect((await ingest(bob, 'again.tsv', RETURNS)).status).toBe('skipped');
  expect(
    (await ingest(bob, 'settlement.txt', readFileSync(fixture('settlement.txt'), 'utf8'), { dry_run: '1' }))
      .status,
  ).toBe('success');
  expect(
    (await ingest(alice, 'rejected.tsv', FIXTURE_RETURNS.replace('2026-09-01T10:15:32+00:00', 'yesterday')))
      .status,
  ).toBe('failed');
}, 120_000);

afterAll(async () => {
  await worker?.stop(5000);
  await t?.close();
});

describe('GET /api/v1/reports/loads', () => {
  it('lists the loads newest first: type, marketplace, file, rows, who and when', async () => {
    const res = await get('/api/v1/reports/loads');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ total: 4, page: 1, page_size: 50 });
    expect(
      body.items.map((i: Record<string, unknown>) => [
        i.type,
        i.marketplace,
        i.file,
        i.actor,
        i.rows,
        i.rejected,
      ]),
    ).toEqual([
      ['returns', 'US', 'bad.tsv', BOB, 2, 1],
      ['reimbursements', 'DE', 'stats-reimb.csv', ALICE, 1, 0],
      ['inventory_ledger', 'US', 'stats-ledger.tsv', BOB, 4, 0],
      ['returns', 'US', 'stats-returns.tsv', ALICE, 5, 0],
    ]);
    const started = body.items.map((i: { started_at: string }) => Date.parse(i.started_at));
    expect(started).toEqual([...started].sort((a, b) => b - a));
    for (const item of body.items) {
      expect(item).toMatchObject({
        id: expect.any(Number),
        status: 'success',
        source: 'api',
        origin: expect.stringMatching(/^raw\/amazon\/\d{4}-\d{2}\//),
        inserted: expect.any(Number),
        duration_ms: expect.any(Number),
      });
      expect(Date.parse(item.finished_at)).toBeGreaterThanOrEqual(Date.parse(item.started_at));
    }
  });

  it('filters by type and status, and pages', async () => {
    const returns = (await get('/api/v1/reports/loads?type=returns')).json();
    expect(returns.total).toBe(2);
    expect(returns.items.map((i: { file: string }) => i.file)).toEqual(['bad.tsv', 'stats-returns.tsv']);
    // the short names of the catalogue work too
    expect(
      (await get('/api/v1/reports/loads?type=ledger')).json().items.map((i: { file: string }) => i.file),
    ).toEqual(['stats-ledger.tsv']);
    expect((await get('/api/v1/reports/loads?status=success')).json().total).toBe(4);
    expect((await get('/api/v1/reports/loads?status=pending')).json()).toMatchObject({ total: 0, items: [] });
    expect((await get('/api/v1/reports/loads?type=settlement')).json()).toMatchObject({
      total: 0,
      items: [],
    });
    const all = (await get('/api/v1/reports/loads')).json().items.map((i: { id: number }) => i.id);
    const p2 = (await get('/api/v1/reports/loads?page=2&page_size=3')).json();
    expect(p2).toMatchObject({ total: 4, page: 2, page_size: 3 });
    expect(p2.items.map((i: { id: number }) => i.id)).toEqual([all[3]]);
    expect((await get('/api/v1/reports/loads?page=3&page_size=3')).json().items).toEqual([]);
    for (const qs of ['type=orders', 'status=done', 'page=0', 'page_size=201', 'colour=red']) {
      const bad = await get(`/api/v1/reports/loads?${qs}`);
      expect(bad.statusCode, qs).toBe(400);
      expect(bad.json().error.code).toBe('invalid');
    }
  });
});

describe('GET /api/v1/stats/returns', () => {
  const stats = (qs = '') => get(`/api/v1/stats/returns${qs}`);
  const asins = (body: { items: { asin: string }[] }) => body.items.map((i) => i.asin);

  it('defaults to the trailing 90 days: returns, refunds, reimbursements, units sold (ledger), return rate', async () => {
    const res = await stats(`?asin=${A}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().window).toEqual({ from: ago(89), to: ago(0) });
    expect(res.json().items).toEqual([
      {
        asin: A,
        title: null,
        returns: 2,
        units_returned: 3,
        refund_amount: 30,
        reimbursed_amount: 12.35,
        units_sold: 10,
        return_rate: 0.3,
        top_reason: 'DEFECTIVE',
      },
    ]);
    // C was last returned 130 days ago; fixture rows of other ASINs may fall in the window
    expect(asins((await stats()).json()).filter((a) => a.startsWith('B0STATS'))).toEqual([A, B]);
  });

  it('a from/to window with its summary', async () => {
    const wide = (await stats(`?from=${ago(140)}&to=${ago(0)}&asin=${A}`)).json();
    expect(wide.items).toEqual([expect.objectContaining({ returns: 3, units_returned: 7, units_sold: 16 })]);
    expect(wide.summary).toEqual({
      asins: 1,
      returns: 3,
      units_returned: 7,
      refund_amount: 70,
      reimbursed_amount: 12.35,
      units_sold: 16,
      return_rate: 0.4375,
    });
    // the fixture's rows are from September 2026: a recent window holds only this file's ASINs
    const recent = (await stats(`?from=${ago(40)}&to=${ago(1)}`)).json();
    expect(recent.window).toEqual({ from: ago(40), to: ago(1) });
    expect(recent.summary).toEqual({
      asins: 2,
      returns: 3,
      units_returned: 4,
      refund_amount: 80,
      reimbursed_amount: 12.35,
      units_sold: 14,
      return_rate: 0.2857,
    });
    expect(recent.total).toBe(2);
    // only `to`: the 90 days up to it
    expect((await stats(`?to=${ago(10)}`)).json().window).toEqual({ from: ago(99), to: ago(10) });
    // a window with no returns
    expect((await stats(`?from=${ago(100)}&to=${ago(95)}`)).json()).toMatchObject({
      total: 0,
      items: [],
      summary: { asins: 0, returns: 0, units_sold: 0, return_rate: null },
    });
  });

  it('sorts and pages', async () => {
    const w = `from=${ago(40)}&to=${ago(1)}`;
    expect(asins((await stats(`?${w}`)).json())).toEqual([A, B]); // default: units returned
    expect(asins((await stats(`?${w}&sort=units`)).json())).toEqual([A, B]);
    expect(asins((await stats(`?${w}&sort=refunds`)).json())).toEqual([B, A]);
    expect(asins((await stats(`?${w}&sort=return_rate`)).json())).toEqual([A, B]);
    expect(
      asins((await stats(`?from=${ago(140)}&to=${ago(0)}&sort=asin`)).json()).filter((a) =>
        a.startsWith('B0STATS'),
      ),
    ).toEqual([A, B, C]);
    const page2 = (await stats(`?${w}&sort=refunds&page=2&page_size=1`)).json();
    expect(page2).toMatchObject({ total: 2, page: 2, page_size: 1 });
    expect(asins(page2)).toEqual([A]);
  });

  it('400 for impossible or malformed dates, from after to, a bad sort or ASIN', async () => {
    for (const qs of [
      'from=2026-13-01',
      `from=2026-02-31&to=${ago(0)}`,
      'to=2026-02-30',
      'from=yesterday',
      'from=2026-9-1',
      `from=${ago(1)}&to=${ago(2)}`,
      'sort=price',
      'asin=b0stats00a',
      'page_size=500',
    ]) {
      const res = await stats(`?${qs}`);
      expect(res.statusCode, `${qs}: ${res.body}`).toBe(400);
      expect(res.json().error.code).toBe('invalid');
    }
    expect((await stats(`?from=${ago(1)}&to=${ago(2)}`)).json().error.message).toMatch(/after/);
    expect((await stats('?to=2026-02-30')).json().error.message).toMatch(/2026-02-30/);
  });
});
