import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let vera: string;
let victor: string;
let admin: string;

async function call(method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, auth: string, body?: unknown) {
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: auth },
    payload: body as object | undefined,
  });
  return { status: res.statusCode, body: res.body ? res.json() : undefined };
}

beforeAll(async () => {
  t = await createTestApp();
  vera = await t.bearer('viewer', 'vera');
  victor = await t.bearer('viewer', 'victor');
  admin = await t.bearer('admin', 'ada');
});

afterAll(async () => {
  await t.close();
});

describe('/me/preferences', () => {
  const defaults = { min_roi_pct: 30, min_profit: 0, max_sales_rank: null, locale: null };

  it('starts from the defaults and keeps each person their own', async () => {
    expect(await call('GET', '/me/preferences', vera)).toEqual({ status: 200, body: defaults });
    const saved = { min_roi_pct: 25.5, min_profit: 2.5, max_sales_rank: 50000, locale: 'de-de' };
    // a viewer may: it is their own setting, not business data
    expect(await call('PUT', '/me/preferences', vera, saved)).toEqual({
      status: 200,
      body: { ...saved, locale: 'de-DE' },
    });
    expect((await call('GET', '/me/preferences', vera)).body).toEqual({ ...saved, locale: 'de-DE' });
    expect((await call('GET', '/me/preferences', victor)).body).toEqual(defaults);
  });

  it('changes only the fields sent; null clears the rank limit and the locale', async () => {
    await call('PUT', '/me/preferences', admin, { min_roi_pct: 40, locale: 'en-GB', max_sales_rank: 1000 });
    const r = await call('PUT', '/me/preferences', admin, {
      min_profit: -1,
      max_sales_rank: null,
      locale: null,
    });
    expect(r.body).toEqual({ min_roi_pct: 40, min_profit: -1, max_sales_rank: null, locale: null });
  });

  it('400 for a bad value, naming it; nothing is stored', async () => {
    const before = (await call('GET', '/me/preferences', victor)).body;
    for (const body of [
      { min_roi_pct: 'lots' },
      { min_roi_pct: 20000 },
      { min_profit: 1.234 },
      { max_sales_rank: 0 },
      { max_sales_rank: 2.5 },
      { locale: 'not a locale!' },
      { locale: 'x' },
      { colour: 'red' },
    ]) {
      const r = await call('PUT', '/me/preferences', victor, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid');
      expect(r.body.error.message, JSON.stringify(body)).toMatch(
        /min_roi_pct|min_profit|max_sales_rank|locale|colour|additional/,
      );
    }
    expect((await call('GET', '/me/preferences', victor)).body).toEqual(before);
  });
});

describe('/views', () => {
  const params = 'roi_min=30&sort=profit&cols=asin,title,roi_pct';

  it('saves, lists (own only, by page and name) and deletes views', async () => {
    const a = await call('POST', '/views', vera, { page: 'roi', name: 'Winners', params: `?${params}` });
    expect(a).toEqual({
      status: 201,
      body: { id: expect.any(Number), page: 'roi', name: 'Winners', params, created_at: expect.any(String) },
    });
    const b = await call('POST', '/views', vera, {
      page: 'roi',
      name: 'Approved',
      params: 'status=approved',
    });
    await call('POST', '/views', vera, { page: 'restock', name: 'Winners', params: '' });
    await call('POST', '/views', victor, { page: 'roi', name: 'Mine', params: '' });
    const names = async (q: string, who = vera) =>
      (await call('GET', `/views${q}`, who)).body.items.map(
        (v: { page: string; name: string }) => `${v.page}/${v.name}`,
      );
    expect(await names('?page=roi')).toEqual(['roi/Approved', 'roi/Winners']);
    expect(await names('')).toEqual(['restock/Winners', 'roi/Approved', 'roi/Winners']);
    expect(await names('?page=roi', victor)).toEqual(['roi/Mine']);
    expect(await call('DELETE', `/views/${b.body.id}`, vera)).toEqual({ status: 204, body: undefined });
    expect(await names('?page=roi')).toEqual(['roi/Winners']);
    expect((await call('DELETE', `/views/${b.body.id}`, vera)).status).toBe(404);
  });

  it("404 for another person's view, which stays", async () => {
    const v = await call('POST', '/views', victor, { page: 'roi', name: 'Secret', params: 'x=1' });
    const r = await call('DELETE', `/views/${v.body.id}`, vera);
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'not_found', message: `you have no view ${v.body.id}` });
    expect(
      (await call('GET', '/views?page=roi', victor)).body.items.map((x: { name: string }) => x.name),
    ).toContain('Secret');
  });

  it('409 for a name the person already uses on that page', async () => {
    await call('POST', '/views', admin, { page: 'roi', name: 'Dup', params: 'a=1' });
    const r = await call('POST', '/views', admin, { page: 'roi', name: ' Dup ', params: 'b=2' });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({
      code: 'conflict',
      message: 'you already have a view named "Dup" on page roi',
    });
    // another page, or another person, may use the name
    expect((await call('POST', '/views', admin, { page: 'vendors', name: 'Dup', params: '' })).status).toBe(
      201,
    );
    expect((await call('POST', '/views', vera, { page: 'roi', name: 'Dup', params: '' })).status).toBe(201);
  });

  it('400 for a bad page, name or params', async () => {
    for (const body of [
      { page: 'ROI', name: 'x', params: '' },
      { page: 'roi', name: '', params: '' },
      { page: 'roi', name: '   ', params: '' },
      { page: 'roi', name: 'n'.repeat(61), params: '' },
      { page: 'roi', name: 'ok', params: 'p'.repeat(2001) },
      { page: 'roi', name: 'ok' },
      { page: 'roi', name: 'ok', params: '', extra: 1 },
    ]) {
      expect((await call('POST', '/views', vera, body)).status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    expect(
      (await call('POST', '/views', vera, { page: 'roi', name: 'n'.repeat(60), params: 'p'.repeat(2000) }))
        .status,
    ).toBe(201);
    expect((await call('DELETE', '/views/abc', vera)).status).toBe(400);
    expect((await call('GET', '/views?page=Bad!', vera)).status).toBe(400);
  });
});
