-- SKU scores (SPEC §7). `scores` is the history: one row per (marketplace, asin, scored_at), appended
-- by every scoring run. A component whose inputs were missing is NULL (never a made-up value);
-- `confidence` is the sum of the weights of the components that had inputs.
CREATE TABLE scores (
  marketplace   char(2) NOT NULL,
  asin          text NOT NULL,
  scored_at     timestamptz NOT NULL,
  -- agent_runs.id of the run; no foreign key, so pruning old run records never touches scores
  run_id        uuid NOT NULL,
  score         numeric(5, 2) NOT NULL CHECK (score BETWEEN 0 AND 100),
  confidence    numeric(5, 4) NOT NULL CHECK (confidence > 0 AND confidence <= 1),
  profitability numeric(5, 4) CHECK (profitability BETWEEN 0 AND 1),
  demand        numeric(5, 4) CHECK (demand BETWEEN 0 AND 1),
  competition   numeric(5, 4) CHECK (competition BETWEEN 0 AND 1),
  stability     numeric(5, 4) CHECK (stability BETWEEN 0 AND 1),
  returns       numeric(5, 4) CHECK (returns BETWEEN 0 AND 1),
  -- {component: one-line explanation}, for every component, also the missing ones (saying why)
  explanation   jsonb NOT NULL,
  PRIMARY KEY (marketplace, asin, scored_at)
);
-- Each run deletes history older than 90 days (scoring.service.ts HISTORY_DAYS): by date, not by ASIN.
CREATE INDEX scores_scored_at_idx ON scores (marketplace, scored_at);

-- Every ASIN's current score: the history row a run wrote last for it, with the two figures lists
-- filter and sort on. A run replaces the rows of the ASINs it covered (all of the marketplace, or
-- those of --asins). A narrow table of its own rather than a flag on the history: replacing 100k
-- flags rewrote 100k wide history rows (explanations) and tripled the run's write time.
CREATE TABLE scores_latest (
  marketplace char(2) NOT NULL,
  asin        text NOT NULL,
  scored_at   timestamptz NOT NULL,
  score       numeric(5, 2) NOT NULL,
  confidence  numeric(5, 4) NOT NULL,
  PRIMARY KEY (marketplace, asin),
  FOREIGN KEY (marketplace, asin, scored_at) REFERENCES scores (marketplace, asin, scored_at)
);
-- GET /scores sorts (each scanned backwards for desc; the asin tie-break follows the direction). The
-- primary key serves /roi's and /sku's per-row lookups and the asin sort and prefix.
CREATE INDEX scores_latest_score_idx ON scores_latest (marketplace, score, asin);
CREATE INDEX scores_latest_confidence_idx ON scores_latest (marketplace, confidence, asin);
