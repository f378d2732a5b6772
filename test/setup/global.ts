import { createHash } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type EmbeddedServer, ensureEmbeddedServer } from '../../src/platform/db/embedded.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { installJobSchema } from '../../src/platform/jobs/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
  }
}

export const TEMPLATE_DB = 'awa_template';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
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
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const { rows } = await admin.query(
    "SELECT datname FROM pg_database WHERE datname LIKE 'awa\\_t\\_%' OR datname = $1",
    [TEMPLATE_DB],
  );
  for (const r of rows) await admin.query(`DROP DATABASE "${r.datname}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();

  const templateUrl = withDatabase(adminUrl, TEMPLATE_DB);
  const pool = new pg.Pool({ connectionString: templateUrl, max: 2 });
  await migrate(pool);
  await pool.end();
  await installJobSchema(templateUrl);

  project.provide('adminUrl', adminUrl);
  return async () => {
    await server?.stop();
  };
}
