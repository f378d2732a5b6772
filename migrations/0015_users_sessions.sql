-- Sign-in for the web app (SPEC §14, §16): people with an e-mail and a password, server-side sessions
-- behind a cookie, login throttling, and audit events.
--
-- 1. `users` exists since 0001 but nothing ever wrote it: it becomes the people who sign in. The
--    e-mail is the login (unique whatever its case); the name is only what the UI shows, so two
--    people may share one. Passwords are Argon2id hashes in PHC form (`$argon2id$v=19$m=…`).
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_email_check
  CHECK (length(email) BETWEEN 3 AND 254 AND email ~ '^[^@\s]+@[^@\s]+$');
DROP INDEX users_name_key;
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
ALTER TABLE users
  ADD COLUMN password_hash        text NOT NULL CHECK (password_hash LIKE '$argon2%'),
  -- a generated one-time password: the user must pick their own before doing anything else
  ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
  ADD COLUMN password_changed_at  timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN last_login_at        timestamptz;

-- 2. A session is a random 32-byte cookie value; only its sha256 is stored (like API tokens), so a
--    leaked table lets nobody in. `expires_at` is absolute (SESSION_MAX_HOURS after sign-in); the idle
--    limit (SESSION_IDLE_MINUTES when it was created) counts from last_seen_at, which is written at
--    most once a minute per session, not per request.
CREATE TABLE sessions (
  id                   char(64) PRIMARY KEY,
  user_id              bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token           text NOT NULL,
  created_at           timestamptz NOT NULL,
  last_seen_at         timestamptz NOT NULL,
  expires_at           timestamptz NOT NULL,
  idle_timeout_minutes integer NOT NULL CHECK (idle_timeout_minutes > 0),
  ip                   text,
  user_agent           text CHECK (length(user_agent) <= 512),
  revoked_at           timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- 3. Failed sign-in counters (rate-limiter-flexible's RateLimiterPostgres layout) when REDIS_URL is
--    unset; `expire` is epoch milliseconds. Keys carry a hash of the e-mail, never the e-mail itself.
CREATE TABLE login_throttle (
  key    text PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);

-- 4. Audit rows that are events rather than plain requests (sign-in, failed sign-in, logout, password
--    change, user create/disable/reset…). A CLI event has method 'CLI', its command as route, and
--    status 0 (no HTTP status); `details` holds what the event was about (never a password).
ALTER TABLE audit_log ADD COLUMN event text, ADD COLUMN details jsonb;
CREATE INDEX audit_log_event_idx ON audit_log (event, at DESC) WHERE event IS NOT NULL;
