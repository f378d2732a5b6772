-- Alerts and notifications (SPEC §11): a transactional outbox filled by a trigger on task_events, the
-- places notifications go (Telegram chats, e-mail addresses, webhook endpoints) with each one's
-- preferences, and the messages made from them with their delivery state.

-- 1. The outbox. One row per alert-worthy event: a task created, escalated (or reopened because it
--    got worse) or resolved, and system alerts the alerts domain raises itself. Silent rows (`muted`,
--    `unmuted`) are never sent: they tell repeat reminders that a person closed, snoozed or reopened
--    a task. `routed_at` is set once the dispatcher has fanned the row out to every target.
CREATE TABLE notifications (
  id            bigserial PRIMARY KEY,
  -- the task event it reports; unique, so an event can never be queued twice
  task_event_id bigint UNIQUE,
  -- `task:<id>` or `system:<type>:<key>`: what "the same alert" means for resolved and repeats
  alert_key     text NOT NULL,
  event         text NOT NULL CHECK (event IN ('created', 'escalated', 'resolved', 'muted', 'unmuted')),
  type          text NOT NULL,
  severity      text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  title         text NOT NULL,
  summary       text,
  -- what group_by may name besides type and severity
  labels        jsonb NOT NULL DEFAULT '{}',
  task_id       bigint,
  at            timestamptz NOT NULL,
  routed_at     timestamptz
);
CREATE INDEX notifications_unrouted_idx ON notifications (id) WHERE routed_at IS NULL;
CREATE INDEX notifications_alert_idx ON notifications (alert_key, id DESC);

-- A statement-level trigger with a transition table: every writer of task_events (the engine's
-- set-based reconcile, wake and expiry, a person's transition) fills the outbox in its own
-- transaction, at one INSERT … SELECT per statement, without the decisions code knowing about it.
-- pg_notify is delivered on commit, so the dispatcher wakes when the data is visible, not before.
CREATE FUNCTION notifications_from_task_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO notifications (task_event_id, alert_key, event, type, severity, title, summary, labels, task_id, at)
  SELECT e.id, 'task:' || t.id, x.event, t.type,
         coalesce(e.after ->> 'severity', t.severity), t.title, t.why -> 0 ->> 'message',
         jsonb_strip_nulls(jsonb_build_object('asin', t.asin, 'vendor_id', t.vendor_id, 'marketplace', t.marketplace)),
         t.id, e.at
  FROM new_events e
  JOIN tasks t ON t.id = e.task_id
  CROSS JOIN LATERAL (SELECT CASE
    WHEN e.kind IN ('created', 'escalated', 'resolved') THEN e.kind
    WHEN e.kind = 'reopened' THEN 'escalated'  -- the engine reopens a closed task only when it got worse
    WHEN e.kind = 'expired' THEN 'muted'
    WHEN e.kind = 'woke' THEN 'unmuted'
    WHEN e.kind = 'transition' AND e.after ->> 'state' IN ('done', 'dismissed', 'snoozed') THEN 'muted'
    WHEN e.kind = 'transition' AND e.after ->> 'state' = 'open' THEN 'unmuted'
  END AS event) x
  WHERE x.event IS NOT NULL;
  IF FOUND THEN
    PERFORM pg_notify('awa_notifications', '');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER task_events_notifications
  AFTER INSERT ON task_events REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION notifications_from_task_events();

-- 2. Where notifications go. `config` targets mirror TELEGRAM_CHAT_ID, ALERT_EMAIL_TO and
--    WEBHOOK_URLS (synced when the dispatcher starts); `admin` ones are webhook endpoints managed over
--    the API; `user` ones are a person's own subscriptions (GET/PUT /me/notifications).
CREATE TABLE notification_targets (
  id              bigserial PRIMARY KEY,
  channel         text NOT NULL CHECK (channel IN ('telegram', 'email', 'webhook')),
  address         text NOT NULL CHECK (length(address) BETWEEN 1 AND 2048),
  origin          text NOT NULL CHECK (origin IN ('config', 'admin', 'user')),
  -- the principal of a `user` target; '' for the others, so the unique key below needs no COALESCE
  owner           text NOT NULL DEFAULT '' CHECK ((origin = 'user') = (owner <> '')),
  -- webhooks: the endpoint's whsec_ signing secret
  secret          text CHECK (secret IS NULL OR secret LIKE 'whsec\_%'),
  description     text,
  min_severity    text NOT NULL DEFAULT 'info' CHECK (min_severity IN ('info', 'warning', 'critical')),
  -- NULL: every type
  task_types      text[],
  -- local wall-clock times in `timezone`; a window may wrap midnight (22:00–07:00)
  quiet_start     time,
  quiet_end       time,
  timezone        text NOT NULL DEFAULT 'UTC',
  enabled         boolean NOT NULL DEFAULT true,
  disabled_reason text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);
CREATE UNIQUE INDEX notification_targets_key ON notification_targets (channel, origin, owner, address);

-- 3. A message: everything a target gets in one go (a group's new alerts, a digest, a repeat, a test),
--    rendered when it is made so every retry sends the same text. `key` is the idempotency key the
--    channel sees (webhook-id, the e-mail's Message-ID). The dispatcher takes a lease before sending;
--    `inflight_part` is written just before a part goes out and cleared when it was accepted, so a
--    worker that died mid-send leaves a row that says "part N may have been sent".
CREATE TABLE notification_deliveries (
  id              bigserial PRIMARY KEY,
  key             text NOT NULL UNIQUE,
  target_id       bigint NOT NULL REFERENCES notification_targets (id) ON DELETE CASCADE,
  group_key       text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('alert', 'repeat', 'test')),
  severity        text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  payload         jsonb NOT NULL,
  state           text NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sending', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  parts_done      integer NOT NULL DEFAULT 0,
  inflight_part   integer,
  -- a part was retried after a crash left its outcome unknown
  uncertain       boolean NOT NULL DEFAULT false,
  next_attempt_at timestamptz NOT NULL,
  lease_until     timestamptz,
  leased_by       text,
  last_error      text,
  created_at      timestamptz NOT NULL,
  delivered_at    timestamptz
);
CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (next_attempt_at)
  WHERE state IN ('pending', 'sending');
CREATE INDEX notification_deliveries_target_idx ON notification_deliveries (target_id, id DESC);

-- 4. Which notification went to which target, and in which message. The primary key is the
--    idempotency key per notification and target: routing twice cannot queue a notification twice,
--    and an item joins exactly one message (delivery_id is set once, in the transaction that makes it).
CREATE TABLE notification_items (
  notification_id bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  target_id       bigint NOT NULL REFERENCES notification_targets (id) ON DELETE CASCADE,
  group_key       text NOT NULL,
  -- quiet hours: not sent before this
  not_before      timestamptz NOT NULL,
  delivery_id     bigint REFERENCES notification_deliveries (id) ON DELETE SET NULL,
  PRIMARY KEY (notification_id, target_id)
);
CREATE INDEX notification_items_pending_idx ON notification_items (target_id, group_key)
  WHERE delivery_id IS NULL;
CREATE INDEX notification_items_delivery_idx ON notification_items (delivery_id);

-- 5. Alertmanager's timers per target and group: when the group first had something to send, and
--    when it last sent (group_interval and repeat_interval count from there).
CREATE TABLE notification_groups (
  target_id     bigint NOT NULL REFERENCES notification_targets (id) ON DELETE CASCADE,
  group_key     text NOT NULL,
  severity      text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  last_sent_at  timestamptz,
  PRIMARY KEY (target_id, group_key)
);
