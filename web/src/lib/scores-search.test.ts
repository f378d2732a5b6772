import { describe, expect, it } from 'vitest';
import {
  parseScoresSearch,
  scoreMath,
  scoresApiQuery,
  scoresCsvHref,
  updateScoresSearch,
} from './scores-search.ts';

describe('scores search', () => {
  it('keeps valid values, drops defaults, bad ones and the upper bound of a reversed range', () => {
    expect(
      parseScoresSearch({
        score_min: '40',
        score_max: '90',
        conf_min: '60',
        vendor: '3',
        asin: 'b0ab',
        sort: 'confidence',
        order: 'desc',
      }),
    ).toEqual({ score_min: 40, score_max: 90, conf_min: 60, vendor: 3, asin: 'B0AB', sort: 'confidence' });
    expect(parseScoresSearch({ score_min: '80', score_max: '20' })).toEqual({ score_min: 80 });
    expect(
      parseScoresSearch({
        score_min: '101',
        conf_max: '-1',
        vendor: 'x',
        asin: 'B0-1',
        sort: 'roi',
        page_size: '500',
      }),
    ).toEqual({});
  });

  it('goes back to page 1 on a filter change', () => {
    expect(updateScoresSearch({ page: 4 }, { score_min: '50' })).toEqual({ score_min: 50 });
    expect(updateScoresSearch({ page: 4, score_min: 50 }, { page: 5 })).toEqual({ page: 5, score_min: 50 });
  });

  it('sends confidence as a fraction and builds the CSV link', () => {
    expect(scoresApiQuery({ conf_min: 35, conf_max: 90, sort: 'asin' })).toEqual({
      confidence_min: 0.35,
      confidence_max: 0.9,
      sort: 'asin',
      order: 'asc',
      page: 1,
      page_size: 50,
    });
    expect(scoresCsvHref({ vendor: 2, page: 3 })).toBe('/api/v1/scores.csv?vendor=2&sort=score&order=desc');
  });
});

describe('scoreMath', () => {
  const weights = { profitability: 0.35, demand: 0.25, competition: 0.15, stability: 0.15, returns: 0.1 };

  it('is the weighted sum over the measured components, divided by their weights', () => {
    const m = scoreMath(
      { profitability: 1, demand: 0.5, competition: null, stability: null, returns: null },
      weights,
    );
    expect(m.terms.map((t) => t.component)).toEqual(['profitability', 'demand']);
    expect(m.missing).toEqual(['competition', 'stability', 'returns']);
    expect(m.measuredWeight).toBeCloseTo(0.6, 10);
    // 100 × (0.35 × 1 + 0.25 × 0.5) / 0.6 = 79.17
    expect(m.score).toBe(79.17);
  });

  it('has no score when nothing was measured', () => {
    expect(scoreMath({ profitability: null }, { profitability: 1 }).score).toBeNull();
  });
});
