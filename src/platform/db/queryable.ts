import type pg from 'pg';

/**
 * The one database handle repos take (see README.md beside this file): anything with pg's `query`,
 * so the same repo function runs on the pool or inside a transaction's client.
 */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Appends `value` to a query's parameters and returns its placeholder (`$3`): for SQL assembled from
 * optional parts, so the numbering follows the parts actually used and values never enter the text.
 */
export function param(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}`;
}

/** A query's text and its parameters, for SQL assembled in one place and run (or EXPLAINed) in another. */
export interface QueryText {
  text: string;
  values: unknown[];
}
