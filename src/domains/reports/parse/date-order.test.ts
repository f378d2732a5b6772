import { afterAll, describe, expect, it } from 'vitest';
import { appError, parseReport, tempDir } from '../../../../test/fixtures/reports/files.ts';
import { countryMonthFirst, marketplaceNameMonthFirst } from './locale.ts';

const tmp = tempDir('awa-report-dates-');
afterAll(() => tmp.cleanup());

const pad = (n: number) => String(n).padStart(2, '0');
/** October 2026, day by day, as a US ledger writes it: `10/01/2026` … `10/30/2026`. */
const OCTOBER = Array.from({ length: 30 }, (_, k) => k + 1);
const ISO_OCTOBER = OCTOBER.map((d) => `2026-10-${pad(d)}`);
/** Rows filling more than the first MiB read, and more than the rows held while looking ahead. */
const BIG = 40_000;

interface LedgerOpts {
  country?: string;
  companion?: boolean;
  dates?: string[];
}
/** A ledger with one shipment a day; without `country` or `companion` those columns are left out. */
function ledger(name: string, o: LedgerOpts = {}): string {
  const dates = o.dates ?? OCTOBER.map((d) => `10/${pad(d)}/2026`);
  const head = ['Date', 'MSKU', 'Event Type', 'Quantity'];
  if (o.country !== undefined) head.push('Country');
  if (o.companion) head.push('Date and Time');
  const lines = dates.map((d, k) => {
    const cells = [d, `SKU-${k}`, 'Shipments', '-1'];
    if (o.country !== undefined) cells.push(o.country);
    if (o.companion) cells.push(`${ISO_OCTOBER[k] ?? '2026-10-01'}T00:00:00-0700`);
    return cells.join('\t');
  });
  return tmp.write(name, `${[head.join('\t'), ...lines].join('\n')}\n`);
}

const eventDates = async (file: string, marketplace: string) => {
  const r = await parseReport(file, { marketplace });
  expect(r.rejections).toEqual([]);
  return r.rows.map((x) => x.values.event_date);
};

describe('day/month order, decided once per file', () => {
  it('1: the ledger’s Date and Time beside Date settles it (a DE marketplace notwithstanding)', async () => {
    const file = ledger('companion.tsv', { companion: true });
    expect(await eventDates(file, 'DE')).toEqual(ISO_OCTOBER);
  });

  it('2: the ledger’s Country settles it, either way', async () => {
    expect(await eventDates(ledger('us.tsv', { country: 'US' }), 'DE')).toEqual(ISO_OCTOBER);
    const de = ledger('de.tsv', { country: 'DE', dates: OCTOBER.map((d) => `${pad(d)}/10/2026`) });
    expect(await eventDates(de, 'US')).toEqual(ISO_OCTOBER);
    expect([countryMonthFirst('CA'), countryMonthFirst('mx'), countryMonthFirst('GB')]).toEqual([
      true,
      true,
      false,
    ]);
    expect([countryMonthFirst('JP'), countryMonthFirst(''), countryMonthFirst('XX')]).toEqual([
      null,
      null,
      null,
    ]);
  });

  it('2: a settlement’s marketplace-name settles it', async () => {
    const body = [
      'settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\tcurrency\ttransaction-type\torder-id\tmarketplace-name\tamount-type\tamount-description\tamount\tposted-date',
      '1178\t10/01/2026\t10/12/2026\t10/14/2026\t10.00\tUSD\t\t\t\t\t\t\t',
      '1178\t\t\t\t\t\tOrder\t113-1\tAmazon.com\tItemPrice\tPrincipal\t10.00\t10/02/2026',
      '1178\t\t\t\t\t\tOrder\t113-2\tAmazon.com\tItemPrice\tPrincipal\t5.00\t10/03/2026',
    ].join('\n');
    const r = await parseReport(tmp.write('settlement-us.txt', body), { marketplace: 'DE' });
    expect(r.rows.map((x) => x.values.settlement_start_date ?? x.values.posted_date)).toEqual([
      '2026-10-01T00:00:00Z',
      '2026-10-02T00:00:00Z',
      '2026-10-03T00:00:00Z',
    ]);
    expect(r.rows[0]!.values.deposit_date).toBe('2026-10-14T00:00:00Z');
    expect(marketplaceNameMonthFirst('Amazon.co.uk')).toBe(false);
    expect(marketplaceNameMonthFirst('Amazon.com.mx')).toBe(true);
    expect(marketplaceNameMonthFirst('Non-Amazon')).toBe(null);
  });

  it('3: a value valid only one way settles every row, however late it comes', async () => {
    // the first twelve days are ambiguous; 10/13 settles them (and everything else) month-first
    expect(await eventDates(ledger('late13.tsv'), 'DE')).toEqual(ISO_OCTOBER);
    // past the rows read ahead (> 1 MiB, the first chunk): the file is read a second time up to it
    const many = [...Array<string>(BIG).fill('10/01/2026'), '10/13/2026'];
    const dates = await eventDates(ledger('far13.tsv', { dates: many }), 'DE');
    expect(new Set(dates)).toEqual(new Set(['2026-10-01', '2026-10-13']));
    expect(dates.filter((d) => d === '2026-10-01')).toHaveLength(BIG);
  });

  it('4: the marketplace decides only when nothing in the file does', async () => {
    const twelve = OCTOBER.slice(0, 12).map((d) => `10/${pad(d)}/2026`);
    expect(await eventDates(ledger('us12.tsv', { dates: twelve }), 'US')).toEqual(ISO_OCTOBER.slice(0, 12));
    const de = await eventDates(ledger('de12.tsv', { dates: twelve }), 'DE');
    expect(de).toEqual(OCTOBER.slice(0, 12).map((d) => `2026-${pad(d)}-10`));
  });

  it('evidence after rows without any ambiguous date may still set the order', async () => {
    const dates = [...Array<string>(BIG).fill('2026-10-01'), '10/25/2026', '10/02/2026'];
    const r = await eventDates(ledger('iso-then-us.tsv', { dates }), 'DE');
    expect(r.slice(-2)).toEqual(['2026-10-25', '2026-10-02']);
  });
});

describe('contradicting evidence rejects the file, naming line, column, value and why', () => {
  it('Country US but a date valid only day-first', async () => {
    const dates = OCTOBER.map((d) => `10/${pad(d)}/2026`);
    dates[20] = '25/10/2026';
    const bad = await appError(
      parseReport(ledger('us-bad.tsv', { country: 'US', dates }), { marketplace: 'US' }),
    );
    expect(bad.kind).toBe('invalid');
    expect(bad.message).toContain('us-bad.tsv');
    expect(bad.message).toContain(
      'line 22, column "Date", value "25/10/2026": day-first — the first number is above 12',
    );
    expect(bad.message).toContain('line 2, column "Country", value "US"');
    expect(bad.message).toContain('nothing was written');
  });

  it('a companion column that disagrees with the country', async () => {
    const e = await appError(
      parseReport(ledger('de-companion.tsv', { country: 'DE', companion: true }), { marketplace: 'DE' }),
    );
    expect(e.message).toMatch(
      /line 2, column "Date", value "10\/01\/2026": month-first — Date and Time on the same line is 2026-10-01T00:00:00-0700/,
    );
    expect(e.message).toContain('column "Country", value "DE": day-first');
  });

  it('one value valid only day-first and another only month-first', async () => {
    const dates = ['10/01/2026', '13/10/2026', '10/02/2026', '10/14/2026'];
    const e = await appError(parseReport(ledger('both.tsv', { dates }), { marketplace: 'DE' }));
    expect(e.message).toContain(
      'line 5, column "Date", value "10/14/2026": month-first — the middle number is above 12',
    );
    expect(e.message).toContain(
      'line 3, column "Date", value "13/10/2026": day-first — the first number is above 12',
    );
  });

  it('a settlement with US and German lines', async () => {
    const body = [
      'settlement-id\ttransaction-type\tmarketplace-name\tamount\tposted-date',
      '1178\tOrder\tAmazon.com\t10.00\t10/02/2026',
      '1178\tOrder\tAmazon.de\t5.00\t10/03/2026',
    ].join('\n');
    const e = await appError(parseReport(tmp.write('settlement-mixed.txt', body), { type: 'settlement' }));
    expect(e.message).toContain('line 3, column "marketplace-name", value "Amazon.de"');
  });

  it('evidence against the marketplace after ambiguous dates were read that way', async () => {
    const dates = [...Array<string>(BIG).fill('2026-10-01'), '10/01/2026', '10/25/2026'];
    const e = await appError(parseReport(ledger('too-late.tsv', { dates }), { marketplace: 'DE' }));
    expect(e.message).toContain(`line ${BIG + 3}, column "Date", value "10/25/2026"`);
    expect(e.message).toContain(`first: line ${BIG + 2}, column "Date", value "10/01/2026"`);
    expect(e.message).toContain('already read day-first');
  });

  it('a companion naming another day rejects that row only', async () => {
    const file = tmp.write(
      'mismatch.tsv',
      'Date\tMSKU\tEvent Type\tQuantity\tCountry\tDate and Time\n' +
        '10/01/2026\tA\tShipments\t-1\tUS\t2026-10-01T00:00:00-0700\n' +
        '10/03/2026\tB\tShipments\t-1\tUS\t2026-10-04T00:00:00-0700\n',
    );
    const r = await parseReport(file, { marketplace: 'US' });
    expect(r.rows.map((x) => x.values.event_date)).toEqual(['2026-10-01']);
    expect(r.rejections).toEqual([
      {
        line: 3,
        column: 'Date',
        value: '10/03/2026',
        reason: 'not the day of Date and Time 2026-10-04T00:00:00-0700 (2026-10-04) on the same line',
      },
    ]);
  });
});

describe('zone abbreviations in reports', () => {
  it('IST is India’s, except in a file of amazon.ie (Irish summer time)', async () => {
    const body = 'seller-sku\titem-name\tprice\topen-date\nS1\tX\t12.50\t2024-07-01 10:00:00 IST\n';
    const file = tmp.write('ist.txt', body);
    const at = async (marketplace: string) =>
      (await parseReport(file, { marketplace })).rows.map((x) => x.values.open_date);
    expect(await at('IN')).toEqual(['2024-07-01T04:30:00Z']);
    expect(await at('IE')).toEqual(['2024-07-01T09:00:00Z']);
  });

  it('an unknown abbreviation rejects its row with line, column and value', async () => {
    const body =
      'seller-sku\titem-name\tprice\topen-date\n' +
      'S1\tX\t12.50\t2024-03-01 10:22:11 MET\n' +
      'S2\tY\t9.99\t2024-03-01 10:22:11 XYZ\n';
    const r = await parseReport(tmp.write('zones.txt', body), { marketplace: 'DE' });
    expect(r.rows.map((x) => x.values.open_date)).toEqual(['2024-03-01T09:22:11Z']);
    expect(r.rejections).toEqual([
      {
        line: 3,
        column: 'open-date',
        value: '2024-03-01 10:22:11 XYZ',
        reason: 'unknown time zone abbreviation XYZ',
      },
    ]);
  });
});
