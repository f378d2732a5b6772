import { SCORE_COMPONENTS, type ScoreComponent } from '../../platform/config.ts';
import {
  type Combined,
  type Components,
  combine,
  competition,
  cvOf,
  demandFromRank,
  demandFromVelocity,
  profitability,
  returnsRisk,
  round,
  stability,
  type Weights,
} from './components.ts';

/** Own sales velocity is read over this many days, buy box stability too. */
export const RECENT_DAYS = 30;
/** Return rates compare returned with sold units over this many days. */
export const RETURNS_DAYS = 90;

/** What the scoring run gathers per ASIN (see scoring.repo.ts); counts are 0 when nothing was found. */
export interface ScoreInputs {
  asin: string;
  /** The best vendor offer (ROI view); null when no vendor offers the ASIN. */
  offer: { roiPct: number | null; flags: string[]; vendor: string } | null;
  /** Own units sold in the last 30 days. */
  units30: number;
  /** Latest known sales rank. */
  rank: number | null;
  /** Latest known FBA offer count, and new offer count (Keepa reports only the latter). */
  offersFba: number | null;
  offersNew: number | null;
  amazonOnListing: boolean | null;
  /** Buy box prices in the last 30 days, counting the one in force at the window's start. */
  bbPoints: number;
  /** Time-weighted mean and mean of squares of those prices. */
  bbMean: number | null;
  bbMeanSq: number | null;
  sold90: number;
  returned90: number;
}

export interface Scored extends Combined {
  asin: string;
  components: Components;
  explanation: Record<ScoreComponent, string>;
}

const f2 = (x: number) => x.toFixed(2);
// not toLocaleString: its output depends on the ICU data the Node build carries
const thousands = (n: number) => String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const plural = (n: number, one: string, many: string) => `${thousands(n)} ${n === 1 ? one : many}`;

interface Part {
  value: number | null;
  text: string;
}

function missing(text: string): Part {
  return { value: null, text: `missing: ${text}` };
}

function measured(value: number, text: string): Part {
  const v = round(value, 4);
  return { value: v, text: `${text} → ${f2(v)}` };
}

function profitabilityPart(i: ScoreInputs): Part {
  if (!i.offer) return missing('no vendor offer, so no ROI');
  if (i.offer.roiPct === null) {
    return missing(`the best offer has no ROI (${i.offer.flags.join(', ') || 'no cost base'})`);
  }
  return measured(
    profitability(i.offer.roiPct),
    `ROI ${i.offer.roiPct.toFixed(1)} % of the best offer (${i.offer.vendor})`,
  );
}

function demandPart(i: ScoreInputs): Part {
  if (i.units30 > 0) {
    const v = i.units30 / RECENT_DAYS;
    return measured(
      demandFromVelocity(v),
      `own sales ${plural(i.units30, 'unit', 'units')} in ${RECENT_DAYS} days (${f2(v)}/day)`,
    );
  }
  if (i.rank !== null) {
    return measured(
      demandFromRank(i.rank),
      `sales rank ${thousands(i.rank)} (no own sales in ${RECENT_DAYS} days)`,
    );
  }
  return missing(`no own sales in ${RECENT_DAYS} days and no sales rank`);
}

function competitionPart(i: ScoreInputs): Part {
  if (i.amazonOnListing === true) return measured(0, 'Amazon sells on the listing');
  const amazon = i.amazonOnListing === false ? 'Amazon not on the listing' : 'Amazon presence unknown';
  // Keepa gives the count of new offers, not of FBA ones: it bounds the FBA count from above, so
  // using it can only understate the component
  const [offers, kind] =
    i.offersFba !== null ? [i.offersFba, 'FBA'] : i.offersNew !== null ? [i.offersNew, 'new'] : [null, ''];
  if (offers === null) return missing('no offer counts');
  return measured(
    competition(i.amazonOnListing, offers) ?? 0,
    `${plural(offers, `${kind} offer`, `${kind} offers`)}, ${amazon}`,
  );
}

function stabilityPart(i: ScoreInputs): Part {
  const cv = i.bbPoints >= 2 && i.bbMean !== null && i.bbMeanSq !== null ? cvOf(i.bbMean, i.bbMeanSq) : null;
  if (cv === null) {
    return missing(
      `${plural(i.bbPoints, 'buy box price', 'buy box prices')} in ${RECENT_DAYS} days (2 needed)`,
    );
  }
  return measured(
    stability(cv),
    `buy box varies ${(cv * 100).toFixed(1)} % (CV, time-weighted) over ${i.bbPoints} prices in ${RECENT_DAYS} days`,
  );
}

function returnsPart(i: ScoreInputs): Part {
  if (i.sold90 <= 0) return missing(`no own units sold in ${RETURNS_DAYS} days`);
  const rate = i.returned90 / i.sold90;
  return measured(
    returnsRisk(rate),
    `${thousands(i.returned90)} returned of ${thousands(i.sold90)} sold in ${RETURNS_DAYS} days (${(rate * 100).toFixed(1)} %)`,
  );
}

const PARTS: Record<ScoreComponent, (i: ScoreInputs) => Part> = {
  profitability: profitabilityPart,
  demand: demandPart,
  competition: competitionPart,
  stability: stabilityPart,
  returns: returnsPart,
};

/** One ASIN's score with its components and a one-line explanation each; null if no input was known. */
export function scoreOf(inputs: ScoreInputs, weights: Weights): Scored | null {
  const components = {} as Components;
  const explanation = {} as Record<ScoreComponent, string>;
  for (const name of SCORE_COMPONENTS) {
    const part = PARTS[name](inputs);
    components[name] = part.value;
    explanation[name] = part.text;
  }
  const combined = combine(components, weights);
  return combined ? { asin: inputs.asin, ...combined, components, explanation } : null;
}
