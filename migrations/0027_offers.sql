-- Offers, pushed (issue 16): Amazon's ANY_OFFER_CHANGED notifications, read from an SQS queue.

-- Every notification once, by Amazon's NotificationId: a redelivered or duplicated message finds its
-- row and changes nothing. `stale` = its TimeOfOfferChange is older than one already recorded for
-- the ASIN (kept in the history, the current state is not rolled back, no decision is queued);
-- `ignored` = nothing AWA prices (another condition, a marketplace AWA does not know).
CREATE TABLE offer_notifications (
  notification_id text PRIMARY KEY,
  marketplace     char(2),
  marketplace_id  text NOT NULL,
  asin            text NOT NULL,
  changed_at      timestamptz NOT NULL,
  received_at     timestamptz NOT NULL,
  buybox          numeric(12, 2),
  currency        char(3),
  offers_new      integer,
  offers_fba      integer,
  status          text NOT NULL CHECK (status IN ('applied', 'stale', 'ignored')),
  note            text
);
CREATE INDEX offer_notifications_recent_idx ON offer_notifications (received_at DESC);
CREATE INDEX offer_notifications_asin_idx ON offer_notifications (marketplace, asin, changed_at DESC);

-- Messages that are no usable notification (not JSON, fields missing): recorded with the reason and
-- deleted from the queue, since a redelivery would fail the same way. The body is cut to 4 kB.
CREATE TABLE offer_rejects (
  id          bigserial PRIMARY KEY,
  message_id  text NOT NULL,
  received_at timestamptz NOT NULL,
  reason      text NOT NULL,
  body        text NOT NULL
);
CREATE INDEX offer_rejects_recent_idx ON offer_rejects (received_at DESC);

-- Per-ASIN debounce: one row while a decision is owed. A worker claims due rows (FOR UPDATE SKIP
-- LOCKED, then a lease in claimed_until), decides, and deletes the row unless a notification came
-- in meanwhile (version moved on): then the row stays for one more decision.
CREATE TABLE offer_pending (
  marketplace   char(2) NOT NULL,
  asin          text NOT NULL,
  first_at      timestamptz NOT NULL,
  last_at       timestamptz NOT NULL,
  due_at        timestamptz NOT NULL,
  events        integer NOT NULL,
  version       integer NOT NULL DEFAULT 1,
  claimed_by    text,
  claimed_until timestamptz,
  PRIMARY KEY (marketplace, asin)
);
CREATE INDEX offer_pending_due_idx ON offer_pending (due_at);

-- The repricer runs notifications caused: repricer_log.run_id → which ASINs, how many notifications,
-- when the first arrived (the latency the bench measures) and how the run ended.
CREATE TABLE offer_decisions (
  run_id        uuid PRIMARY KEY,
  marketplace   char(2) NOT NULL,
  asins         text[] NOT NULL,
  notifications integer NOT NULL,
  first_at      timestamptz NOT NULL,
  decided_at    timestamptz NOT NULL,
  mode          text NOT NULL CHECK (mode IN ('dry_run', 'apply', 'live')),
  status        text NOT NULL CHECK (status IN ('success', 'tripped', 'failed')),
  counts        jsonb NOT NULL DEFAULT '{}',
  error         text
);
CREATE INDEX offer_decisions_recent_idx ON offer_decisions (decided_at DESC);

-- What `awa offers subscribe` set up, per SP-API region (a subscription covers the seller's
-- marketplaces of its region): shown by `awa offers status` without asking Amazon.
CREATE TABLE offer_subscriptions (
  region          text PRIMARY KEY,
  sqs_arn         text NOT NULL,
  destination_id  text NOT NULL,
  subscription_id text NOT NULL,
  checked_at      timestamptz NOT NULL
);

-- Metric points now come from more than Keepa: Keepa's "newest point" must count only its own, or a
-- notification's point (seconds old) would hide Keepa history that is new to us (as for the buy box).
ALTER TABLE product_metrics ADD COLUMN source text NOT NULL DEFAULT 'keepa';
