import type pg from 'pg';

/**
 * The one database handle repos take (see README.md beside this file): anything with pg's `query`,
 * so the same repo function runs on the pool or inside a transaction's client.
 */
export type Queryable = Pick<pg.PoolClient, 'query'>;
