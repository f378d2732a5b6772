-- Keepa agent (SPEC §5). Every run refreshes the stalest ASINs first, so it must know when each ASIN
-- was last answered by Keepa. This is kept apart from `products` because Keepa also answers for ASINs
-- it does not know (no product row to put it on), and those must wait out the stale period too
-- instead of spending a token every hour. Batches that failed as a whole (network, 5xx) leave no row
-- here, so their ASINs stay first in line for the next run.
CREATE TABLE keepa_fetches (
  marketplace char(2) NOT NULL,
  asin        text NOT NULL,
  fetched_at  timestamptz NOT NULL,
  status      text NOT NULL CHECK (status IN ('ok', 'unknown', 'invalid')),
  error       text,
  PRIMARY KEY (marketplace, asin)
);

-- Keepa's lowest new offer fulfilled by Amazon (csv NEW_FBA): the price an FBA seller competes with,
-- kept beside the offer counts for scoring (competition) and the repricer.
ALTER TABLE product_metrics ADD COLUMN fba_price numeric(12, 2) CHECK (fba_price > 0);
