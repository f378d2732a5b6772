import { poolOf, type Target } from './catalog.ts';

/** `YYYY-MM-DD` n days from today (UTC); keep margins of a day or more around the DB's current_date. */
export function isoDay(offsetDays = 0): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export interface FeesInput {
  asin: string;
  marketplace?: string;
  referral?: number | string | null;
  fulfilment?: number | string | null;
  storage?: number | string | null;
  other?: number | string | null;
  currency?: string;
  source?: 'sp_api' | 'helium10' | 'fee_preview_report' | 'manual';
  captured_at?: Date | string;
}

const money = (v: number | string | null | undefined, dflt: string | null) =>
  v === undefined ? dflt : v === null ? null : String(v);

/** Inserts or replaces the (marketplace, asin) fees row; defaults 3.00 + 3.50 + 0.20 EUR. */
export async function insertFees(t: Target, f: FeesInput): Promise<void> {
  await poolOf(t).query(
    `INSERT INTO fees (marketplace, asin, referral, fulfilment, storage, other, currency, source, captured_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9::timestamptz, now()))
     ON CONFLICT (marketplace, asin) DO UPDATE SET referral = EXCLUDED.referral,
       fulfilment = EXCLUDED.fulfilment, storage = EXCLUDED.storage, other = EXCLUDED.other,
       currency = EXCLUDED.currency, source = EXCLUDED.source, captured_at = EXCLUDED.captured_at`,
    [
      f.marketplace ?? 'DE',
      f.asin,
      money(f.referral, '3.00'),
      money(f.fulfilment, '3.50'),
      money(f.storage, '0.20'),
      money(f.other, null),
      f.currency ?? 'EUR',
      f.source ?? 'manual',
      f.captured_at ?? null,
    ],
  );
}

export interface BuyboxInput {
  asin: string;
  price: number | string;
  captured_at?: Date | string;
  marketplace?: string;
  currency?: string;
  source?: string;
}

export async function insertBuybox(t: Target, b: BuyboxInput): Promise<void> {
  await poolOf(t).query(
    `INSERT INTO buybox_history (marketplace, asin, captured_at, price, currency, source)
     VALUES ($1, $2, coalesce($3::timestamptz, now()), $4, $5, $6)`,
    [
      b.marketplace ?? 'DE',
      b.asin,
      b.captured_at ?? null,
      String(b.price),
      b.currency ?? 'EUR',
      b.source ?? 'test',
    ],
  );
}

/** rate = marketplace-currency units per 1 unit of `currency`; upserts (currency, as_of). */
export async function insertFxRate(
  t: Target,
  r: { currency: string; rate: number | string; as_of?: string; source?: string },
): Promise<void> {
  await poolOf(t).query(
    `INSERT INTO fx_rates (currency, as_of, rate, source) VALUES ($1, $2, $3, $4)
     ON CONFLICT (currency, as_of) DO UPDATE SET rate = EXCLUDED.rate, source = EXCLUDED.source`,
    [r.currency, r.as_of ?? isoDay(0), String(r.rate), r.source ?? 'test'],
  );
}

export interface LaneInput {
  carrier?: string;
  origin?: string;
  dest?: string;
  service?: string;
  eur_per_kg?: number | string;
  /** Defaults to 1900-01-01 (open start). */
  effective_from?: string;
  /** Inclusive last day; null/undefined = open-ended. */
  effective_to?: string | null;
  source?: string;
}

/** A freight rate; defaults to the default lane DHL:DE:DE:standard at 2.00 €/kg, always in force. */
export async function insertLogisticsRate(t: Target, l: LaneInput = {}): Promise<void> {
  await poolOf(t).query(
    `INSERT INTO logistics_rates
       (carrier, origin, dest, service, effective_from, effective_to, eur_per_kg, source)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      l.carrier ?? 'DHL',
      l.origin ?? 'DE',
      l.dest ?? 'DE',
      l.service ?? 'standard',
      l.effective_from ?? '1900-01-01',
      l.effective_to ?? null,
      String(l.eur_per_kg ?? '2.00'),
      l.source ?? 'test',
    ],
  );
}
