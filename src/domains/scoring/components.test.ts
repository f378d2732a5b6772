import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.ts';
import {
  combine,
  competition,
  cvOf,
  demandFromRank,
  demandFromVelocity,
  profitability,
  returnsRisk,
  stability,
  timeWeightedCv,
  type Weights,
} from './components.ts';
import { type ScoreInputs, scoreOf } from './score.ts';

const W: Weights = { profitability: 0.35, demand: 0.25, competition: 0.15, stability: 0.15, returns: 0.1 };
const day = (n: number) => new Date(Date.UTC(2026, 10, 1) + n * 86_400_000);

describe('component mappings', () => {
  it('profitability: ROI 0 % → 0, 50 % → 0.5, 100 % → 1, above and below clamp', () => {
    expect(profitability(0)).toBe(0);
    expect(profitability(50)).toBe(0.5);
    expect(profitability(100)).toBe(1);
    expect(profitability(150)).toBe(1);
    expect(profitability(-20)).toBe(0);
  });

  it('demand from rank: 1 → 1, 1,000 → 0.5, 1,000,000 → 0, worse clamps', () => {
    expect(demandFromRank(1)).toBe(1);
    expect(demandFromRank(1000)).toBeCloseTo(0.5, 12);
    expect(demandFromRank(100)).toBeCloseTo(1 - 2 / 6, 12);
    expect(demandFromRank(1_000_000)).toBeCloseTo(0, 12);
    expect(demandFromRank(5_000_000)).toBe(0);
    expect(demandFromRank(0)).toBe(1); // a rank below 1 is read as 1, not as infinite demand
  });

  it('demand from own velocity: 0.1/day → 0, 1/day → 0.5, 10/day → 1, log-scaled between', () => {
    expect(demandFromVelocity(0)).toBe(0);
    expect(demandFromVelocity(0.05)).toBe(0);
    expect(demandFromVelocity(0.1)).toBeCloseTo(0, 12);
    expect(demandFromVelocity(1)).toBe(0.5);
    expect(demandFromVelocity(10)).toBe(1);
    expect(demandFromVelocity(40)).toBe(1);
    expect(demandFromVelocity(1.4)).toBeCloseTo((1 + Math.log10(1.4)) / 2, 12); // 0.5731
  });

  it('competition: Amazon on the listing → 0, else 1/(1 + offers/5), unknown → null', () => {
    expect(competition(true, 0)).toBe(0);
    expect(competition(true, null)).toBe(0);
    expect(competition(false, 0)).toBe(1);
    expect(competition(false, 5)).toBe(0.5);
    expect(competition(null, 15)).toBe(0.25);
    expect(competition(false, null)).toBeNull();
    expect(competition(null, null)).toBeNull();
  });

  it('stability: 1 − CV clamped; returns risk: 1 − 5 × rate clamped', () => {
    expect(stability(0)).toBe(1);
    expect(stability(0.1)).toBeCloseTo(0.9, 12);
    expect(stability(1.5)).toBe(0);
    expect(returnsRisk(0)).toBe(1);
    expect(returnsRisk(0.1)).toBeCloseTo(0.5, 12);
    expect(returnsRisk(0.2)).toBe(0);
    expect(returnsRisk(0.5)).toBe(0);
  });
});

describe('time-weighted coefficient of variation', () => {
  it('weights each price by how long it held; the price in force at the start counts from the start', () => {
    // window day 0 → day 30: 10.00 (set on day −5) holds 20 days, 12.00 the last 10 days.
    // mean = 320/30 = 32/3, mean of squares = 3440/30, variance = 8/9, CV = (2√2/3)/(32/3) = √2/16
    const cv = timeWeightedCv(
      [
        { at: day(-40), price: 99 }, // replaced before the window: ignored
        { at: day(-5), price: 10 },
        { at: day(20), price: 12 },
      ],
      day(0),
      day(30),
    );
    expect(cv).toBeCloseTo(Math.SQRT2 / 16, 12); // 0.0884; point-weighted would be 1/11 = 0.0909
  });

  it('needs two prices in the window, counting the one in force at its start', () => {
    expect(timeWeightedCv([], day(0), day(30))).toBeNull();
    expect(timeWeightedCv([{ at: day(-5), price: 10 }], day(0), day(30))).toBeNull();
    expect(timeWeightedCv([{ at: day(3), price: 10 }], day(0), day(30))).toBeNull();
    // two points inside: 10 for 10 days, 20 for 10 days → mean 15, sd 5
    expect(
      timeWeightedCv(
        [
          { at: day(10), price: 10 },
          { at: day(20), price: 20 },
        ],
        day(0),
        day(30),
      ),
    ).toBeCloseTo(1 / 3, 12);
    // a constant price varies 0 %
    expect(
      timeWeightedCv(
        [
          { at: day(-1), price: 10 },
          { at: day(5), price: 10 },
        ],
        day(0),
        day(30),
      ),
    ).toBe(0);
  });

  it('cvOf is null without a positive mean and never takes the root of a rounding-negative variance', () => {
    expect(cvOf(0, 0)).toBeNull();
    expect(cvOf(10, 100 - 1e-12)).toBe(0);
  });
});

describe('combine', () => {
  it('is the weighted mean over all components when all are known (confidence 1)', () => {
    // 0.35·1 + 0.25·0.5 + 0.15·0.5 + 0.15·1 + 0.10·1 = 0.8
    const c = combine({ profitability: 1, demand: 0.5, competition: 0.5, stability: 1, returns: 1 }, W);
    expect(c).toEqual({ score: 80, confidence: 1 });
  });

  it('renormalises over the known components and lowers confidence by the missing weights', () => {
    // (0.35·1 + 0.25·0.5 + 0.15·0.5) / 0.75 = 0.55 / 0.75 = 73.33 %
    const c = combine({ profitability: 1, demand: 0.5, competition: 0.5, stability: null, returns: null }, W);
    expect(c).toEqual({ score: 73.33, confidence: 0.75 });
    // a known 0 is not a missing input: it counts
    expect(
      combine({ profitability: 0, demand: null, competition: null, stability: null, returns: null }, W),
    ).toEqual({ score: 0, confidence: 0.35 });
  });

  it('gives no score when nothing is known', () => {
    expect(
      combine({ profitability: null, demand: null, competition: null, stability: null, returns: null }, W),
    ).toBeNull();
  });

  it('uses the weights of SCORING_WEIGHTS (normalised to sum 1)', () => {
    const { SCORING_WEIGHTS } = loadConfig({
      SCORING_WEIGHTS: 'profitability=2,demand=1,competition=1,stability=0,returns=0',
    });
    // (2·1 + 1·0 + 1·0.5) / 4 = 62.5 %
    expect(
      combine({ profitability: 1, demand: 0, competition: 0.5, stability: 1, returns: 1 }, SCORING_WEIGHTS),
    ).toEqual({ score: 62.5, confidence: 1 });
  });
});

const FULL: ScoreInputs = {
  asin: 'B0SCORE001',
  offer: { roiPct: 45, flags: [], vendor: 'Alpha GmbH' },
  units30: 42,
  rank: 1500,
  offersFba: 5,
  offersNew: 9,
  amazonOnListing: false,
  bbPoints: 3,
  bbMean: 32 / 3,
  bbMeanSq: 3440 / 30,
  sold90: 120,
  returned90: 6,
};

describe('scoreOf', () => {
  it('scores every component with a one-line explanation', () => {
    const s = scoreOf(FULL, W)!;
    expect(s.components).toEqual({
      profitability: 0.45,
      demand: 0.5731, // own sales win over the rank: (1 + log10 1.4) / 2
      competition: 0.5,
      stability: 0.9116, // 1 − √2/16
      returns: 0.75, // 1 − 5 × 6/120
    });
    // 0.35·0.45 + 0.25·0.5731 + 0.15·0.5 + 0.15·0.9116 + 0.10·0.75 = 0.587515
    expect(s.score).toBe(58.75);
    expect(s.confidence).toBe(1);
    expect(s.explanation).toEqual({
      profitability: 'ROI 45.0 % of the best offer (Alpha GmbH) → 0.45',
      demand: 'own sales 42 units in 30 days (1.40/day) → 0.57',
      competition: '5 FBA offers, Amazon not on the listing → 0.50',
      stability: 'buy box varies 8.8 % (CV, time-weighted) over 3 prices in 30 days → 0.91',
      returns: '6 returned of 120 sold in 90 days (5.0 %) → 0.75',
    });
  });

  it('says why a component is missing and scores the rest', () => {
    const s = scoreOf(
      {
        ...FULL,
        offer: null,
        units30: 0,
        rank: 1000,
        amazonOnListing: true,
        bbPoints: 1,
        bbMean: 10,
        bbMeanSq: 100,
        sold90: 0,
        returned90: 2,
      },
      W,
    )!;
    expect(s.components).toEqual({
      profitability: null,
      demand: 0.5,
      competition: 0,
      stability: null,
      returns: null,
    });
    // (0.25·0.5 + 0.15·0) / 0.40
    expect(s.score).toBe(31.25);
    expect(s.confidence).toBe(0.4);
    expect(s.explanation).toEqual({
      profitability: 'missing: no vendor offer, so no ROI',
      demand: 'sales rank 1,000 (no own sales in 30 days) → 0.50',
      competition: 'Amazon sells on the listing → 0.00',
      stability: 'missing: 1 buy box price in 30 days (2 needed)',
      returns: 'missing: no own units sold in 90 days',
    });
  });

  it('names the flags of an offer without ROI and falls back to the new-offer count', () => {
    const s = scoreOf(
      {
        ...FULL,
        offer: { roiPct: null, flags: ['fees_missing', 'no_buybox'], vendor: 'Beta' },
        offersFba: null,
        offersNew: 15,
        amazonOnListing: null,
      },
      W,
    )!;
    expect(s.components.profitability).toBeNull();
    expect(s.explanation.profitability).toBe('missing: the best offer has no ROI (fees_missing, no_buybox)');
    expect(s.components.competition).toBe(0.25);
    expect(s.explanation.competition).toBe('15 new offers, Amazon presence unknown → 0.25');
    expect(s.confidence).toBe(0.65);
  });

  it('returns null when no component has inputs', () => {
    expect(
      scoreOf(
        {
          asin: 'B0SCORE002',
          offer: null,
          units30: 0,
          rank: null,
          offersFba: null,
          offersNew: null,
          amazonOnListing: null,
          bbPoints: 0,
          bbMean: null,
          bbMeanSq: null,
          sold90: 0,
          returned90: 0,
        },
        W,
      ),
    ).toBeNull();
  });
});
