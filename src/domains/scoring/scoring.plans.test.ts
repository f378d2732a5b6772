import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { pageQuery as roiPageQuery } from '../roi/roi.repo.ts';
import { pageQuery } from './scoring.repo.ts';
import { listScores } from './scoring.service.ts';

// The query plans behind GET /scores and the score lookup on /roi pages (indexes, not sorts).
let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});

afterAll(async () => {
  await tdb?.drop();
});

describe('GET /scores plans', () => {
  beforeAll(async () => {
    // 20,000 latest scores in a marketplace of their own, so the planner prefers the indexes
    await tdb.db.pool.query(`
      INSERT INTO scores (marketplace, asin, scored_at, run_id, score, confidence, demand, explanation)
      SELECT 'IT', 'B' || lpad(g::text, 9, '0'), '2026-11-01', gen_random_uuid(), (g % 10000) / 100.0,
             0.25 + (g % 4) * 0.25, 0.5, '{}'::jsonb
      FROM generate_series(1, 20000) g`);
    // scores_latest's foreign key is checked by a query planned from the statistics: on a table not
    // yet analysed that is a sequential scan per row (30 s here, past the hook's timeout on a busy
    // machine, instead of 0.4 s)
    await tdb.db.pool.query('ANALYZE scores');
    await tdb.db.pool.query(`
      INSERT INTO scores_latest (marketplace, asin, scored_at, score, confidence)
      SELECT marketplace, asin, scored_at, score, confidence FROM scores WHERE marketplace = 'IT'`);
    await tdb.db.pool.query('ANALYZE scores, scores_latest');
  });

  const plan = async (...args: Parameters<typeof pageQuery>) => {
    const q = pageQuery(...args);
    const { rows } = await tdb.db.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${q.text}`, q.values);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  };

  it('walks an index for each sort without sorting', async () => {
    const byScore = await plan({ marketplace: 'IT' }, 'score', 'desc', 50, 0);
    expect(byScore).toContain('Index Scan Backward using scores_latest_score_idx');
    expect(byScore).not.toMatch(/Sort/);
    expect(await plan({ marketplace: 'IT', scoreMin: 90 }, 'score', 'asc', 50, 0)).toContain(
      'Index Scan using scores_latest_score_idx',
    );
    expect(await plan({ marketplace: 'IT' }, 'confidence', 'desc', 50, 0)).toContain(
      'scores_latest_confidence_idx',
    );
    const byAsin = await plan({ marketplace: 'IT', asinPrefix: 'B00001' }, 'asin', 'asc', 50, 0);
    expect(byAsin).toContain('scores_latest_pkey');
    expect(byAsin).not.toMatch(/Sort/);
  });

  it("/roi looks up the page's scores after paging, one index probe per row", async () => {
    const q = roiPageQuery({ bestOnly: true }, 'roi', 'desc', 50, 0);
    const { rows } = await tdb.db.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${q.text}`, q.values);
    const text = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('Index Scan using scores_latest_pkey');
    expect(text).not.toMatch(/Seq Scan on scores_latest|Hash Join/);
    // the scores lookup sits above the Limit of the page, not under it
    expect(text.indexOf('scores_latest_pkey')).toBeGreaterThan(text.indexOf('Limit'));
  });

  it('pages without overlap in the default order', async () => {
    const f = { sort: 'score' as const, page_size: 200 };
    const p1 = await listScores(tdb.db, 'IT', { ...f, page: 1 });
    const p2 = await listScores(tdb.db, 'IT', { ...f, page: 2 });
    expect(p1.total).toBe(20000);
    const keys = [...p1.items, ...p2.items].map((i) => i.asin);
    expect(new Set(keys).size).toBe(400);
    // score 99.99 belongs to g = 9999 and 19999; desc ties break on asin desc
    expect(p1.items.slice(0, 2).map((i) => [i.asin, i.score])).toEqual([
      ['B000019999', 99.99],
      ['B000009999', 99.99],
    ]);
  });
});
