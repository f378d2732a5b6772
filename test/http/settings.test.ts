import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';

// The Settings page's API: effective values with their source; secrets never leave the server.
let t: TestApp;
let admin: string;
const SECRETS = {
  KEEPA_KEY: 'keepa-secret-value-123',
  SP_API_CLIENT_ID: 'amzn1.application-oa2-client.abcdef',
  SP_API_CLIENT_SECRET: 'sp-client-secret-value-456',
  SP_API_REFRESH_TOKEN: 'Atzr|refresh-token-value-789',
  HELIUM10_KEY: 'helium-secret-value-000',
};

beforeAll(async () => {
  t = await createTestApp({
    env: {
      ...SECRETS,
      AWA_MARKETPLACE: 'FR',
      AWA_CURRENCY: 'EUR',
      RESTOCK_COVER_DAYS: '42',
      REPRICER_MODE: 'apply',
    },
  });
  admin = await t.bearer('admin', 'ada');
});

afterAll(async () => {
  await t.close();
});

type Item = {
  key: string;
  value: string | null;
  source: string;
  secret: boolean;
  configured: boolean;
  editable: boolean;
  variable: string | null;
};
const get = async (auth: string) => {
  const res = await t.app.inject({
    method: 'GET',
    url: '/api/v1/settings',
    headers: { authorization: auth },
  });
  return { status: res.statusCode, raw: res.body, body: res.json() };
};
const byKey = (body: { groups: { items: Item[] }[] }) =>
  new Map(body.groups.flatMap((g) => g.items).map((i) => [i.key, i]));

describe('GET /settings', () => {
  it('shows each value with its source: environment, default or database', async () => {
    const r = await get(admin);
    expect(r.status).toBe(200);
    const s = byKey(r.body);
    expect(s.get('AWA_MARKETPLACE')).toMatchObject({
      value: 'FR',
      source: 'environment',
      variable: 'AWA_MARKETPLACE',
      editable: false,
    });
    expect(s.get('RESTOCK_COVER_DAYS')).toMatchObject({ value: '42', source: 'environment' });
    expect(s.get('REPRICER_MODE')).toMatchObject({ value: 'apply', source: 'environment' });
    expect(s.get('RESTOCK_SERVICE_LEVEL')).toMatchObject({ value: '0.95', source: 'default' });
    expect(s.get('REPRICER_MIN_ROI')).toMatchObject({ value: '0.15', source: 'default' });
    // unset VAT_RATE: France's standard rate, by default
    expect(s.get('VAT_RATE')).toMatchObject({ value: '0.2', source: 'default' });
    expect(s.get('VAT_REGISTERED')).toMatchObject({ value: 'true', source: 'default' });
    expect(s.get('vat_reduced_rates')).toMatchObject({
      value: '0',
      source: 'database',
      variable: null,
      editable: true,
    });
    expect(s.get('REDIS_URL')).toMatchObject({ secret: true, configured: false, value: null });
  });

  it('says a secret is set but never sends it', async () => {
    const r = await get(admin);
    const s = byKey(r.body);
    for (const [key, value] of Object.entries(SECRETS)) {
      expect(s.get(key), key).toMatchObject({
        secret: true,
        configured: true,
        value: null,
        source: 'environment',
      });
      expect(r.raw).not.toContain(value);
    }
    expect(s.get('DATABASE_URL')).toMatchObject({ secret: true, configured: true, value: null });
    expect(r.raw).not.toContain(t.tdb.url);
  });

  it('403 for ops and viewers', async () => {
    for (const role of ['viewer', 'ops'] as const) {
      const r = await get(await t.bearer(role));
      expect(r.status).toBe(403);
    }
  });
});
