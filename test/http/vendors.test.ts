import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../src/jobs/registry.ts';
import { JobQueue } from '../../src/platform/jobs/index.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { Metrics } from '../../src/platform/metrics.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let worker: JobQueue;
let ops: string;
let viewer: string;

/** A multipart/form-data body as a browser or curl would send it. */
function form(fields: Record<string, string | string[]>, file?: { name: string; content: string | Buffer }) {
  const boundary = `----awa${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${one}\r\n`),
      );
    }
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
          'Content-Type: text/csv\r\n\r\n',
      ),
      Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function upload(
  fields: Record<string, string | string[]>,
  file?: { name: string; content: string | Buffer },
) {
  const f = form(fields, file);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/price-lists',
    payload: f.payload,
    headers: { ...f.headers, authorization: ops },
  });
}

async function job(id: string, until: (j: Record<string, unknown>) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/jobs/${id}`,
      headers: { authorization: viewer },
    });
    const j = res.json();
    if (until(j)) return j;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${JSON.stringify(j)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function objects(): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of t.deps.store.list('raw/price-lists/')) keys.push(o.key);
  return keys;
}

const LIST =
  'Artikelnummer;EAN;Bezeichnung;Einkaufspreis\nA-1;4006381333931;Kaffee;3.396,63\nA-2;;Tee;12,50\n';

beforeAll(async () => {
  t = await createTestApp({ env: { UPLOAD_MAX_BYTES: '4096' } });
  worker = await JobQueue.open(t.tdb.url, JOBS, { worker: true, scheduler: false, log: silentLogger });
  await worker.work(t.deps, new Metrics());
  ops = await t.bearer('ops');
  viewer = await t.bearer('viewer');
});

afterAll(async () => {
  await worker.stop(5000);
  await t.close();
});

describe('POST /api/v1/price-lists', () => {
  it('stores the upload, imports it in a job and reports the summary', async () => {
    const res = await upload({ vendor: 'ACME GmbH' }, { name: '../../Preisliste Nov.csv', content: LIST });
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ vendor: 'ACME GmbH', dry_run: false, job_id: expect.any(String) });
    expect(body.object_key).toMatch(
      /^raw\/price-lists\/\d{4}-\d{2}\/\d{8}T\d{9}Z-[0-9a-f]{16}-Preisliste_Nov\.csv$/,
    );
    const done = await job(body.job_id, (j) => j.status === 'success');
    expect(done.result).toMatchObject({
      status: 'success',
      rows: 2,
      inserted: 2,
      rejected: 0,
      file: 'Preisliste Nov.csv',
    });
    expect(done.runs[0]).toMatchObject({ status: 'success', counts: { rows: 2, inserted: 2 } });
    // the committed import refreshed the ROI view
    const refreshed = await t.tdb.db.pool.query(
      "SELECT count(*)::int AS n FROM roi_refreshes WHERE reason = 'import'",
    );
    expect(refreshed.rows[0].n).toBeGreaterThanOrEqual(1);

    const vendors = await t.app.inject({
      method: 'GET',
      url: '/api/v1/vendors',
      headers: { authorization: viewer },
    });
    const acme = vendors.json().items.find((v: { name: string }) => v.name === 'ACME GmbH');
    expect(acme).toMatchObject({ offers: 2, last_price_list_id: done.result.price_list_id });

    // a second list with a changed cost: the prices page shows the history
    const res2 = await upload(
      { vendor: 'acme gmbh' },
      { name: 'nov-2.csv', content: LIST.replace('12,50', '13,00') },
    );
    await job(res2.json().job_id, (j) => j.status === 'success');
    const prices = await t.app.inject({
      method: 'GET',
      url: `/api/v1/vendors/${acme.id}/prices?page_size=1&page=2`,
      headers: { authorization: viewer },
    });
    expect(prices.json()).toMatchObject({ total: 2, page: 2, page_size: 1 });
    expect(prices.json().items).toEqual([
      expect.objectContaining({
        sku: 'A-2',
        cost: '13.0000',
        history: [expect.objectContaining({ old_cost: '12.5000', cost: '13.0000' })],
      }),
    ]);
  });

  it('a file with invalid rows fails without retries and returns every problem', async () => {
    const res = await upload(
      { vendor: 'Bad Data SpA' },
      { name: 'bad.csv', content: 'sku;prezzo\nX;abc\nY;-1\n' },
    );
    const done = await job(res.json().job_id, (j) => j.status === 'failed');
    expect(done.retry_count).toBe(0);
    expect(done.error).toMatch(/2 of 2 rows are invalid/);
    expect(done.result.rejections).toEqual([
      expect.objectContaining({ line: 2, column: 'prezzo', value: 'abc' }),
      expect.objectContaining({ line: 3, column: 'prezzo', value: '-1' }),
    ]);
    const vendors = await t.app.inject({
      method: 'GET',
      url: '/api/v1/vendors',
      headers: { authorization: viewer },
    });
    expect(vendors.json().items.map((v: { name: string }) => v.name)).not.toContain('Bad Data SpA');
  });

  it('dry_run through the form writes nothing', async () => {
    const res = await upload({ vendor: 'Dry Run Ltd', dry_run: 'true' }, { name: 'dry.csv', content: LIST });
    expect(res.json().dry_run).toBe(true);
    const done = await job(res.json().job_id, (j) => j.status === 'success');
    expect(done.result).toMatchObject({ dry_run: true, inserted: 2, price_list_id: null });
    const vendors = await t.app.inject({
      method: 'GET',
      url: '/api/v1/vendors',
      headers: { authorization: viewer },
    });
    expect(vendors.json().items.map((v: { name: string }) => v.name)).not.toContain('Dry Run Ltd');
  });

  it('refuses bad requests before queueing anything, and keeps no stored file', async () => {
    const before = await objects();
    const noVendor = await upload({}, { name: 'x.csv', content: LIST });
    expect(noVendor.statusCode).toBe(400);
    expect(noVendor.json().error.message).toContain('vendor');
    const badBool = await upload({ vendor: 'A', dry_run: 'maybe' }, { name: 'x.csv', content: LIST });
    expect(badBool.statusCode).toBe(400);
    const badMap = await upload({ vendor: 'A', map: 'Preis=price_eur' }, { name: 'x.csv', content: LIST });
    expect(badMap.statusCode).toBe(400);
    const oddName = await upload({ vendor: 'ACME\u200B' }, { name: 'x.csv', content: LIST });
    expect(oddName.statusCode).toBe(400);
    // the service's field error, in the API's words: the field by its name, not the CLI's flag
    const badCurrency = await upload({ vendor: 'A', currency: 'euro!' }, { name: 'x.csv', content: LIST });
    expect(badCurrency.statusCode).toBe(400);
    expect(badCurrency.json().error).toMatchObject({
      code: 'invalid',
      message: 'currency must be a 3-letter ISO code such as EUR (got "euro!")',
      details: { field: 'currency', value: 'euro!', rule: 'iso_4217' },
    });
    const noFile = await upload({ vendor: 'A' });
    expect(noFile.statusCode).toBe(400);
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/price-lists',
      payload: { vendor: 'A' },
      headers: { authorization: ops },
    });
    expect(json.statusCode).toBe(400);
    expect(await objects()).toEqual(before);
  });

  it('413 for a file over UPLOAD_MAX_BYTES, with nothing stored', async () => {
    const before = await objects();
    const big = `sku,cost\n${'A,1.00\n'.repeat(2000)}`;
    const res = await upload({ vendor: 'Big Ltd' }, { name: 'big.csv', content: big });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
    expect(await objects()).toEqual(before);
  });

  it('needs the ops role', async () => {
    const f = form({ vendor: 'A' }, { name: 'x.csv', content: LIST });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/price-lists',
      payload: f.payload,
      headers: { ...f.headers, authorization: viewer },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('vendor reads', () => {
  it('404 for an unknown vendor, 400 for bad paging', async () => {
    const none = await t.app.inject({
      method: 'GET',
      url: '/api/v1/vendors/999999/prices',
      headers: { authorization: viewer },
    });
    expect(none.statusCode).toBe(404);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/vendors/1/prices?page_size=500',
      headers: { authorization: viewer },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('lists past imports newest first', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/price-lists',
      headers: { authorization: viewer },
    });
    const items = res.json().items;
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items[0]).toMatchObject({
      vendor: 'ACME GmbH',
      source: 'api',
      file_name: 'nov-2.csv',
      updated: 1,
    });
  });
});
