import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type EmbeddedServer, ensureEmbeddedServer } from '../../src/platform/db/embedded.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { installJobSchema } from '../../src/platform/jobs/index.ts';
import { isAlive } from '../../src/platform/process.ts';
import { freePort } from '../helpers/net.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    /** Prefix of this run's databases: concurrent runs on one server must not touch each other's. */
    dbPrefix: string;
  }
}

/** Databases left behind by runs that died (their pid is in the name). */
async function dropStale(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'awa\\_t%'");
  for (const { datname } of rows) {
    const pid = Number(/^awa_t(?:pl)?_(\d+)_/.exec(datname)?.[1]);
    if (pid && !isAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/**
 * One Postgres server for the whole run (embedded, or TEST_DATABASE_URL), and a template database
 * with every migration applied; each test file clones it, so files never see each other's rows.
 */
export default async function setup(project: TestProject) {
  let server: EmbeddedServer | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const key = createHash('sha1').update(process.cwd()).digest('hex').slice(0, 8);
    const dir = path.join(os.tmpdir(), `awa-test-${key}`, 'postgres');
    server = await ensureEmbeddedServer({ dir, port: await freePort(), database: 'postgres' });
    adminUrl = server.adminUrl;
  }
  const prefix = `awa_t_${process.pid}_`;
  const template = `awa_tpl_${process.pid}_template`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await dropStale(admin);
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();

  const templateUrl = withDatabase(adminUrl, template);
  const pool = new pg.Pool({ connectionString: templateUrl, max: 2 });
  await migrate(pool);
  await pool.end();
  await installJobSchema(templateUrl);

  project.provide('adminUrl', adminUrl);
  project.provide('dbPrefix', prefix);
  const url = adminUrl;
  return async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const { rows } = await c.query(
      "SELECT datname FROM pg_database WHERE datname LIKE $1 || '%' OR datname = $2",
      [prefix, template],
    );
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    // another test run may be using the same embedded server: the last one out stops it
    const others = await c.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
    );
    await c.end();
    if (others.rows[0].n === 0) await server?.stop();
  };
}
