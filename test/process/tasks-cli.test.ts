import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { freePort } from '../helpers/net.ts';
import { baseEnv, type Env, parseOneJson, removeDir, runCli, tempDataDir } from '../helpers/proc.ts';

// `awa tasks …` as a person triages from a terminal: list, show, snooze (durations), done, reopen,
// evaluate (dry run), and clear refusals with a non-zero exit for bad input and forbidden moves.
let testDb: TestDatabase;
let dataDir: string;
let env: Env;

beforeAll(async () => {
  testDb = await createTestDatabase();
  dataDir = tempDataDir();
  env = baseEnv({
    DATABASE_URL: testDb.url,
    AWA_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
  });
  // a vendor whose only price list is 45 days old: one stale_price_list task once evaluated
  const pool = testDb.db.pool;
  const { rows } = await pool.query(
    `INSERT INTO vendors (name, country, currency) VALUES ('Alpen Handel', 'DE', 'EUR') RETURNING id`,
  );
  await pool.query(
    `INSERT INTO vendor_prices (vendor_id, sku, cost, currency) VALUES ($1, 'A-1', 5, 'EUR')`,
    [rows[0].id],
  );
  await pool.query(
    `INSERT INTO price_lists (vendor_id, file_name, sha256, status, created_at)
     VALUES ($1, 'alpen.csv', repeat('a', 64), 'success', now() - interval '45 days')`,
    [rows[0].id],
  );
});

afterAll(async () => {
  await testDb?.drop();
  removeDir(dataDir);
});

describe('awa tasks', () => {
  it('evaluates (dry run first), lists, shows, snoozes, finishes and reopens a task', async () => {
    const dry = await runCli(['tasks', 'evaluate', '--dry-run', '--json'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(parseOneJson(dry.stdout)).toMatchObject({ dry_run: true, created: 1 });
    expect((await runCli(['tasks', 'list', '--json'], env)).stdout).toContain('"total":0');

    const real = await runCli(['tasks', 'evaluate'], env);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/^1 created, 0 updated/);

    const list = await runCli(['tasks', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("Alpen Handel's price list is 45 days old");
    const listed = parseOneJson(
      (await runCli(['tasks', 'list', '--type', 'stale_price_list', '--json'], env)).stdout,
    );
    const id = String((listed.items as Array<{ id: number }>)[0]!.id);

    const snooze = await runCli(
      ['tasks', 'snooze', id, '--until', '2d', '--note', 'asked them by phone'],
      env,
    );
    expect(snooze.code, snooze.stderr).toBe(0);
    expect(snooze.stdout).toContain(`snoozed: #${id} snoozed info stale_price_list`);
    const done = await runCli(['tasks', 'done', id, '--json'], env);
    expect(parseOneJson(done.stdout)).toMatchObject({ state: 'done' });
    const again = await runCli(['tasks', 'done', id], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(`task ${id} is done: it cannot move to done`);
    expect((await runCli(['tasks', 'reopen', id], env)).code).toBe(0);

    const show = await runCli(['tasks', 'show', id], env);
    expect(show.stdout).toContain('why: last price list 45 days ago (> 30 days)');
    expect(show.stdout).toMatch(/transition by cli:\S+: asked them by phone/);
  });

  it('refuses bad input with a clear message and a non-zero exit', async () => {
    const cases: Array<[string[], string]> = [
      [['tasks', 'done', 'abc'], 'task id must be a whole number > 0 (got abc)'],
      [['tasks', 'show', '999999'], 'task 999999 not found'],
      [
        ['tasks', 'snooze', '1', '--until', 'soon'],
        '--until soon: give a duration (30m, 12h, 2d) or an ISO time',
      ],
      [['tasks', 'list', '--state', 'open,later'], '--state later: not one of open, snoozed'],
      [['tasks', 'list', '--limit', '0'], '--limit 0: a whole number 1…200'],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, env);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr).toContain(message);
    }
  });

  it('raises a task right after the import that causes it: no evaluation needed', async () => {
    const list = (cost: string) => `Art.-Nr.;EAN;Einkaufspreis;VPE\nK-1;;${cost};1\nK-2;;4,00;1\n`;
    const f1 = path.join(dataDir, 'kaiser-1.csv');
    const f2 = path.join(dataDir, 'kaiser-2.csv');
    writeFileSync(f1, list('10,00'));
    writeFileSync(f2, list('11,20'));
    for (const f of [f1, f2]) {
      const r = await runCli(['import-prices', f, '--vendor', 'Kaiser Werk'], env);
      expect(r.code, r.stderr).toBe(0);
    }
    const r = await runCli(['tasks', 'list', '--type', 'vendor_cost_increase', '--json'], env);
    const out = parseOneJson(r.stdout) as {
      items: Array<{ title: string; why: Array<{ message: string }> }>;
    };
    expect(out.items.map((t) => t.title)).toEqual(['Kaiser Werk raised 1 cost (kaiser-2.csv)']);
    expect(out.items[0]!.why[0]!.message).toBe('1 line costs more, up to +12 %');
  });
});
