import { recordProducts } from '../catalog/catalog.service.ts';
import { recordFees } from '../fees/fees.service.ts';
import { counts, type Merge } from './merge.context.ts';
import { insertRaw, latestPerAsin } from './merge.fees.repo.ts';

/**
 * The fee preview is a snapshot: its rows are kept per capture (fee_preview_raw, ours), and the
 * newest row per ASIN is handed to the domains that own what it tells: the fees (fees domain, with
 * the same rules as every fee source: an estimate older than the stored one changes nothing) and the
 * title and package weight Amazon measured (catalog domain, filling only what is unknown: Keepa is
 * the authority on products). Both run on the ingest's transaction, so a failed or dry-run ingest
 * leaves neither. The observation time is the report's first ingest (`asOf`), so a forced re-ingest
 * of an old report is as old as it was.
 *
 * Counts: inserted = raw rows added, updated = fee rows changed.
 */
export const feePreview: Merge = async (c, m) => {
  const inserted = await insertRaw(c, m);
  const latest = await latestPerAsin(c, m);
  // the fees table needs a currency; a row without one still tells the product's title and weight
  const fees = latest.flatMap((r) =>
    r.currency === null
      ? []
      : [
          {
            marketplace: m.marketplace,
            asin: r.asin,
            referral: r.referral,
            fulfilment: r.fulfilment,
            storage: null,
            other: r.other,
            currency: r.currency,
            price_basis: r.price_basis,
          },
        ],
  );
  const w = await recordFees(c, fees, { source: 'fee_preview_report', at: m.asOf });
  await recordProducts(
    c,
    m.marketplace,
    latest.map((r) => ({
      asin: r.asin,
      title: r.title,
      brand: null,
      category: null,
      weightKg: r.weight_kg,
      lengthCm: null,
      widthCm: null,
      heightCm: null,
    })),
    { fillOnly: true },
  );
  const out = counts(inserted, w.changed);
  if (w.older > 0) {
    out.notes.push(
      `fees of ${w.older} ASIN(s) left as stored: the stored estimate is newer than this report ` +
        `(captured ${m.asOf.toISOString()})`,
    );
  }
  return out;
};
