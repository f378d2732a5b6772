import type { Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';
import type { Rule } from './rules.ts';

export interface StoredRule extends Rule, Pick<Tables['repricer_rules'], 'updated_at' | 'updated_by'> {}

export interface RuleFilter {
  marketplace: string;
  skuPrefix?: string;
  enabled?: boolean;
  limit: number;
  offset: number;
}

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const SELECT = `SELECT marketplace::text AS marketplace, sku, min_price::text, max_price::text,
  map_price::text, strategy, step::text, enabled, updated_at, updated_by FROM repricer_rules`;

/** A page of rules in SKU byte order (served by repricer_rules_sku_c_idx), and the match count. */
export async function listRules(
  q: Queryable,
  f: RuleFilter,
): Promise<{ total: number; items: StoredRule[] }> {
  const where = `WHERE marketplace = $1 AND ($2::text IS NULL OR sku COLLATE "C" LIKE $2)
    AND ($3::boolean IS NULL OR enabled = $3)`;
  const params = [f.marketplace, f.skuPrefix ? likePrefix(f.skuPrefix) : null, f.enabled ?? null];
  const [count, page] = await Promise.all([
    q.query<{ n: number }>(`SELECT count(*)::int AS n FROM repricer_rules ${where}`, params),
    q.query<StoredRule>(`${SELECT} ${where} ORDER BY sku COLLATE "C" LIMIT $4 OFFSET $5`, [
      ...params,
      f.limit,
      f.offset,
    ]),
  ]);
  return { total: count.rows[0]!.n, items: page.rows };
}

export async function allRules(q: Queryable, f: Omit<RuleFilter, 'limit' | 'offset'>): Promise<StoredRule[]> {
  const { rows } = await q.query<StoredRule>(
    `${SELECT} WHERE marketplace = $1 AND ($2::text IS NULL OR sku COLLATE "C" LIKE $2)
       AND ($3::boolean IS NULL OR enabled = $3) ORDER BY sku COLLATE "C"`,
    [f.marketplace, f.skuPrefix ? likePrefix(f.skuPrefix) : null, f.enabled ?? null],
  );
  return rows;
}

function columns(rules: Rule[]) {
  return [
    rules.map((r) => r.marketplace),
    rules.map((r) => r.sku),
    rules.map((r) => r.min_price),
    rules.map((r) => r.max_price),
    rules.map((r) => r.map_price),
    rules.map((r) => r.strategy),
    rules.map((r) => r.step),
    rules.map((r) => r.enabled),
  ];
}

const INPUT = `unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[], $5::numeric[], $6::text[],
  $7::numeric[], $8::boolean[]) AS i(marketplace, sku, min_price, max_price, map_price, strategy, step, enabled)`;
const VALUES = '(min_price, max_price, map_price, strategy, step, enabled)';

/** How many of `rules` are new and how many would change a stored rule. */
export async function diffRules(c: Queryable, rules: Rule[]) {
  const { rows } = await c.query<{ inserted: number; updated: number }>(
    `SELECT count(*) FILTER (WHERE r.sku IS NULL)::int AS inserted,
            count(*) FILTER (WHERE r.sku IS NOT NULL AND
              (r.min_price, r.max_price, r.map_price, r.strategy, r.step, r.enabled)
              IS DISTINCT FROM (i.min_price, i.max_price, i.map_price, i.strategy, i.step, i.enabled))::int AS updated
     FROM ${INPUT} LEFT JOIN repricer_rules r ON r.marketplace = i.marketplace AND r.sku = i.sku`,
    columns(rules),
  );
  const { inserted, updated } = rows[0]!;
  return { inserted, updated, unchanged: rules.length - inserted - updated };
}

/**
 * Replaces the given rules (each one whole: an omitted bound is cleared) in one statement, so the
 * set lands entirely or not at all. Unchanged rules keep their updated_at/by. The counts are taken
 * first (diffRules): in the caller's transaction they describe what the statement changed.
 */
export async function upsertRules(client: Queryable, rules: Rule[], by: string) {
  const counts = await diffRules(client, rules);
  await client.query(
    `INSERT INTO repricer_rules (marketplace, sku, min_price, max_price, map_price, strategy, step, enabled,
       updated_at, updated_by)
     SELECT i.*, now(), $9 FROM ${INPUT}
     ON CONFLICT (marketplace, sku) DO UPDATE SET min_price = EXCLUDED.min_price,
       max_price = EXCLUDED.max_price, map_price = EXCLUDED.map_price, strategy = EXCLUDED.strategy,
       step = EXCLUDED.step, enabled = EXCLUDED.enabled, updated_at = now(), updated_by = EXCLUDED.updated_by
     WHERE ${VALUES.replace(/(\w+)/g, 'repricer_rules.$1')} IS DISTINCT FROM ${VALUES.replace(/(\w+)/g, 'EXCLUDED.$1')}`,
    [...columns(rules), by],
  );
  return counts;
}
