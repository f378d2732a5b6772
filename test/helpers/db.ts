import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connectDb, type Db } from '../../src/platform/db/pool.ts';

export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  drop(): Promise<void>;
}

export function adminUrl(): string {
  return inject('adminUrl');
}

/** The migrated template of this run (see test/setup/global.ts). */
export function templateName(): string {
  return inject('dbPrefix').replace(/^awa_t_/, 'awa_tpl_') + 'template';
}

export function urlFor(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh database cloned from the migrated template; drop() removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${inject('dbPrefix')}${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateName()}`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  const db = await connectDb(url, { max: 5 });
  return {
    url,
    name,
    db,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
