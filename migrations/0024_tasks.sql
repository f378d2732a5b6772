-- The decision inbox (SPEC §10): tasks the rules engine raises, their history, the thresholds
-- admins tune, and what the engine must remember between evaluations.

-- One row per task. The engine keeps one active task (open or snoozed) per dedup key: a re-evaluation
-- updates its severity, title, why and links, never its state; a person moves the state.
CREATE TABLE tasks (
  id               bigserial PRIMARY KEY,
  type             text NOT NULL,
  dedup_key        text NOT NULL,
  state            text NOT NULL DEFAULT 'open'
                   CHECK (state IN ('open', 'snoozed', 'done', 'dismissed', 'resolved', 'expired')),
  severity         text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  -- for sorting and "did it get worse": 1 info, 2 warning, 3 critical
  severity_rank    smallint GENERATED ALWAYS AS (
                     CASE severity WHEN 'critical' THEN 3 WHEN 'warning' THEN 2 ELSE 1 END) STORED,
  title            text NOT NULL,
  -- [{code, message, metric, value, threshold}]: the reasons, each one a sentence in the UI
  why              jsonb NOT NULL DEFAULT '[]',
  -- {asin?, sku?, vendor_id?, price_list_id?, plan_id?, run_id?, agent?}: where to look
  links            jsonb NOT NULL DEFAULT '{}',
  -- {default: {kind, label, params}, alternatives: [...]}: what acting on it does
  action           jsonb,
  -- what a task carries beyond its reasons (a price list's changed lines, a plan's order lines)
  details          jsonb,
  marketplace      text,
  asin             text,
  sku              text,
  vendor_id        bigint,
  due_at           timestamptz,
  snoozed_until    timestamptz,
  expires_at       timestamptz,
  assignee         text,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  state_changed_at timestamptz NOT NULL,
  CHECK ((state = 'snoozed') = (snoozed_until IS NOT NULL))
);

-- one active task per key; re-evaluation finds it here
CREATE UNIQUE INDEX tasks_active_key_idx ON tasks (dedup_key) WHERE state IN ('open', 'snoozed');
-- a dismissal (or a done) holds for a while: the engine looks up the newest closed task of a key
CREATE INDEX tasks_closed_key_idx ON tasks (dedup_key, state_changed_at DESC)
  WHERE state IN ('done', 'dismissed');
-- the inbox's default order and its filters
CREATE INDEX tasks_inbox_idx ON tasks (severity_rank DESC, due_at ASC NULLS LAST, id DESC)
  WHERE state IN ('open', 'snoozed');
CREATE INDEX tasks_state_idx ON tasks (state, id DESC);
CREATE INDEX tasks_type_idx ON tasks (type, state);
CREATE INDEX tasks_asin_idx ON tasks (asin) WHERE asin IS NOT NULL;
CREATE INDEX tasks_vendor_idx ON tasks (vendor_id) WHERE vendor_id IS NOT NULL;
CREATE INDEX tasks_snoozed_idx ON tasks (snoozed_until) WHERE state = 'snoozed';
CREATE INDEX tasks_expires_idx ON tasks (expires_at) WHERE state IN ('open', 'snoozed');

-- Every change of a task: created, escalated/deescalated by the engine, each state transition (by a
-- person or the engine), assignment and action, with who, why and the before/after values.
CREATE TABLE task_events (
  id       bigserial PRIMARY KEY,
  task_id  bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  at       timestamptz NOT NULL,
  kind     text NOT NULL CHECK (kind IN ('created', 'escalated', 'deescalated', 'transition', 'resolved',
                                         'reopened', 'expired', 'woke', 'assigned', 'acted')),
  actor    text NOT NULL,
  note     text,
  before   jsonb,
  after    jsonb
);
CREATE INDEX task_events_task_idx ON task_events (task_id, id);
CREATE INDEX task_events_at_idx ON task_events (at, id);

-- Admins' overrides of the rules' thresholds; a key without a row uses the default in code
-- (decisions/thresholds.ts), so a new threshold needs no migration.
CREATE TABLE task_thresholds (
  key        text PRIMARY KEY,
  value      numeric NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text NOT NULL
);

-- Conditions that must hold over consecutive refreshes before they become a task (ROI below target
-- twice in a row): the refresh a key was last seen in and how many in a row.
CREATE TABLE task_streaks (
  rule         text NOT NULL,
  key          text NOT NULL,
  streak       integer NOT NULL,
  last_refresh bigint NOT NULL,
  PRIMARY KEY (rule, key)
);

-- A price list's changed lines, found by the list that changed them (vendor_cost_increase).
CREATE INDEX vendor_price_history_list_idx ON vendor_price_history (price_list_id)
  WHERE price_list_id IS NOT NULL;
