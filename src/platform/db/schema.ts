/**
 * Kysely's view of the schema. The table types are generated from the migrations
 * (tables.gen.ts, `npm run gen:db`), so they cannot drift from what the database really has.
 */
export type {
  AgentRunsTable,
  ApiTokensTable,
  AuditLogTable,
  Database,
  SessionsTable,
  Tables,
  UsersTable,
} from './tables.gen.ts';
