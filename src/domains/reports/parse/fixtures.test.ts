import { describe, expect, it } from 'vitest';
import { fixture, parseReport } from '../../../../test/fixtures/reports/files.ts';

/** The checked-in samples in Amazon's current column sets: types, dates and what decided their order. */
describe('Amazon report samples', () => {
  it('EU All Listings in German: MET and MEST open dates in UTC, decimal commas', async () => {
    const r = await parseReport(fixture('listings-de.txt'), { marketplace: 'DE' });
    expect(r.type).toBe('listings');
    expect(r.rejections).toEqual([]);
    expect(r.rows.map((x) => [x.values.sku, x.values.open_date, x.values.price, x.values.status])).toEqual([
      ['SCH-ROT-01', '2024-03-01T09:22:11Z', '29.99', 'active'],
      ['SCH-BLAU-02', '2023-07-15T06:05:00Z', '19.99', 'active'],
      // the night the clocks go back: the abbreviation, not a zone rule, says which 02:30 it was
      ['BRETT-BU-01', '2025-10-26T01:30:00Z', '1299', 'inactive'],
    ]);
    expect(r.rows[1]!.values.fulfillment_channel).toBe('AFN');
  });

  it('US listings: PDT and PST open dates', async () => {
    const r = await parseReport(fixture('listings.txt'), { marketplace: 'US' });
    expect(r.rows.map((x) => x.values.open_date)).toEqual([
      '2022-07-11T08:34:18Z',
      '2023-01-15T17:02:44Z',
      '2021-03-03T01:45:00Z',
    ]);
  });

  it('US ledger: month-first Date, settled by Country and Date and Time even with --marketplace DE', async () => {
    for (const marketplace of ['US', 'DE']) {
      const r = await parseReport(fixture('ledger.tsv'), { marketplace });
      expect(r.rejections).toEqual([]);
      expect(r.rows.map((x) => x.values.event_date)).toEqual([
        '2026-08-28',
        '2026-09-01',
        '2026-09-01',
        '2026-09-13',
        '2026-09-14',
      ]);
    }
  });

  it.each([
    ['fee-preview-na.txt', 'current: expected-fulfillment-fee-per-unit'],
    ['fee-preview-na-old.txt', 'older: pick & pack + weight handling + order handling'],
    ['fee-preview-eu.txt', 'EU: expected-domestic-fulfilment-fee-per-unit'],
  ])('fee preview %s (%s): detected, every row read, no dates to decide', async (name) => {
    const r = await parseReport(fixture(name), { marketplace: name.includes('-eu') ? 'DE' : 'US' });
    expect(r.type).toBe('fee_preview');
    expect(r.rejections).toEqual([]);
    expect(r.rows).toHaveLength(2);
    for (const row of r.rows) {
      expect(row.values.sku).toMatch(/^[A-Z]/);
      expect(row.values.currency).toBe(name.includes('-eu') ? 'EUR' : 'USD');
    }
  });

  it('Manage FBA Inventory with the store column, settlement, returns, reimbursements, ads: dates in UTC', async () => {
    const inv = await parseReport(fixture('fba-inventory.txt.gz'), { marketplace: 'US' });
    expect([inv.type, inv.rejections, inv.rows.length]).toEqual(['fba_inventory', [], 2]);
    const set = await parseReport(fixture('settlement.txt'), { marketplace: 'US' });
    expect(set.rows[0]!.values.deposit_date).toBe('2026-09-03T06:46:37Z');
    const ret = await parseReport(fixture('returns.tsv'), { marketplace: 'US' });
    expect(ret.rows.map((x) => x.values.return_date)).toEqual([
      '2026-09-01T10:15:32Z',
      '2026-09-02T22:01:05Z',
    ]);
    const reimb = await parseReport(fixture('reimbursements-de.csv'), { marketplace: 'DE' });
    expect(reimb.rows.map((x) => x.values.approval_date)).toEqual([
      '2026-09-01T10:15:00Z',
      '2026-09-02T08:00:00Z',
    ]);
    const ads = await parseReport(fixture('ads-sp.csv'), { marketplace: 'US' });
    expect(ads.rows.map((x) => x.values.date)).toEqual(['2026-09-01', '2026-09-01']);
  });
});
