import type { ColumnType, Generated } from 'kysely';

/**
 * Kysely table types for the tables typed queries touch. Each domain adds its tables here when it
 * starts querying them through Kysely; analytics use raw `sql` and need no entry.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  role: string;
  token_hash: string;
  prefix: string;
  user_id: number | null;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AgentRunsTable {
  id: Generated<string>;
  agent: string;
  status: string;
  dry_run: boolean;
  trigger: string;
  job_id: string | null;
  counts: ColumnType<Record<string, number>, string | undefined, string>;
  reason: string | null;
  error: string | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  duration_ms: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor: string;
  role: string | null;
  method: string;
  route: string;
  status: number;
  latency_ms: number;
  request_id: string | null;
  ip: string | null;
  /** Set for events (login, login_failed, logout, user_created…); null for a plain request row. */
  event: ColumnType<string | null, string | null | undefined, string | null>;
  details: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface UsersTable {
  id: Generated<number>;
  name: string;
  email: string;
  role: string;
  password_hash: string;
  must_change_password: Generated<boolean>;
  disabled_at: Timestamp | null;
  created_at: Generated<Date>;
  password_changed_at: Timestamp;
  last_login_at: Timestamp | null;
}

export interface SessionsTable {
  /** sha256 (hex) of the cookie value; the value itself is never stored. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  idle_timeout_minutes: number;
  ip: string | null;
  user_agent: string | null;
  revoked_at: Timestamp | null;
}

export interface Database {
  api_tokens: ApiTokensTable;
  agent_runs: AgentRunsTable;
  audit_log: AuditLogTable;
  users: UsersTable;
  sessions: SessionsTable;
}
