/**
 * Small insert helpers for the catalogue and market tables, with sensible defaults, for tests that
 * need rows in a real database (test/helpers/db.ts). Each returns the keys it generated.
 */
export * from './bulk.ts';
export * from './catalog.ts';
export * from './decisions.ts';
export * from './market.ts';
export * from './offers.ts';
export * from './repricer.ts';
export * from './restock.ts';
export * from './scoring.ts';
export * from './tasks.ts';
