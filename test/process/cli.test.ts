import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { freePort } from '../helpers/net.ts';
import { baseEnv, type Env, killAll, parseOneJson, removeDir, runCli, tempDataDir } from '../helpers/proc.ts';

// The CLI as a script would use it, against a throwaway database (DATABASE_URL): exit codes,
// `--json` output and error messages.
let testDb: TestDatabase;
let dataDir: string;
let env: Env;

beforeAll(async () => {
  testDb = await createTestDatabase();
  dataDir = tempDataDir();
  env = baseEnv({
    DATABASE_URL: testDb.url,
    AWA_DATA_DIR: dataDir,
    PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
  });
});

afterEach(async () => {
  await killAll();
});

afterAll(async () => {
  await killAll();
  await testDb?.drop();
  removeDir(dataDir);
});

describe('help and usage', () => {
  it('awa --help lists every command', async () => {
    const r = await runCli(['--help'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: awa /);
    for (const cmd of ['start', 'migrate', 'token', 'agent'])
      expect(r.stdout).toMatch(new RegExp(`\\n  ${cmd} `));
  });

  const commands: [string[], RegExp][] = [
    [['start'], /--roles <list>/],
    [['migrate'], /--status/],
    [['token'], /create/],
    [['token', 'create'], /--role <role>/],
    [['token', 'list'], /--all/],
    [['token', 'revoke'], /<name>/],
    [['agent'], /run/],
    [['agent', 'run'], /--dry-run/],
    [['agent', 'list'], /--json/],
    [['roi', 'update'], /--dry-run/],
    [['roi', 'rebuild'], /--dry-run/],
  ];
  for (const [cmd, option] of commands) {
    it(`awa ${cmd.join(' ')} --help prints its usage`, async () => {
      const r = await runCli([...cmd, '--help'], env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: awa ${cmd.join(' ')} `));
      expect(r.stdout).toMatch(option);
      expect(r.stderr).toBe('');
    });
  }

  it('an unknown command exits non-zero and says so', async () => {
    const r = await runCli(['frobnicate'], env);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(r.stdout).toBe('');
  });
});

describe('tokens', () => {
  it('rejects an unknown role, naming the allowed ones', async () => {
    const r = await runCli(['token', 'create', '--role', 'superuser', '--name', 'x'], env);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toMatch(/superuser/);
    for (const role of ['viewer', 'ops', 'admin']) expect(r.stderr).toContain(role);
    // nothing was created
    const list = await runCli(['token', 'list', '--all', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    const items = parseOneJson(list.stdout).items as { name: string }[];
    expect(items.map((t) => t.name)).not.toContain('x');
  }, 120_000);

  it('create → list (never the value) → revoke → list → revoke again fails', async () => {
    const created = await runCli(['token', 'create', '--role', 'ops', '--name', 'ci-bot', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const t = parseOneJson(created.stdout);
    expect(t).toMatchObject({ name: 'ci-bot', role: 'ops' });
    const value = t.token as string;
    expect(value).toMatch(/^awa_[A-Za-z0-9_-]{20,}$/);

    const list = await runCli(['token', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).not.toContain(value);
    const items = parseOneJson(list.stdout).items as Record<string, unknown>[];
    const mine = items.find((i) => i.name === 'ci-bot');
    expect(mine).toMatchObject({ name: 'ci-bot', role: 'ops', revoked_at: null });
    expect(mine).not.toHaveProperty('token');
    expect(value.startsWith(mine!.prefix as string)).toBe(true);

    // the human listing must not leak it either
    const human = await runCli(['token', 'list'], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('ci-bot');
    expect(human.stdout).not.toContain(value);

    const revoked = await runCli(['token', 'revoke', 'ci-bot', '--json'], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(parseOneJson(revoked.stdout)).toEqual({ name: 'ci-bot', revoked: true });

    const after = await runCli(['token', 'list', '--json'], env);
    expect(after.code, after.stderr).toBe(0);
    const active = parseOneJson(after.stdout).items as { name: string }[];
    expect(active.map((i) => i.name)).not.toContain('ci-bot');

    const all = await runCli(['token', 'list', '--all', '--json'], env);
    expect(all.code, all.stderr).toBe(0);
    const every = parseOneJson(all.stdout).items as Record<string, unknown>[];
    const gone = every.find((i) => i.name === 'ci-bot');
    expect(gone).toBeDefined();
    expect(typeof gone!.revoked_at).toBe('string');
    expect(Number.isNaN(Date.parse(gone!.revoked_at as string))).toBe(false);
    expect(all.stdout).not.toContain(value);

    const again = await runCli(['token', 'revoke', 'ci-bot', '--json'], env);
    expect(again.code).not.toBe(0);
    expect(again.code).not.toBeNull();
    expect(again.stderr).toMatch(/ci-bot/);
    const err = parseOneJson(again.stdout);
    expect(err.error).toMatchObject({ code: 'not_found' });
  }, 120_000);
});

describe('agents', () => {
  it('agent run maintenance --json prints one run object', async () => {
    const r = await runCli(['agent', 'run', 'maintenance', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const run = parseOneJson(r.stdout);
    expect(run).toMatchObject({ agent: 'maintenance', status: 'success', dry_run: false });
    expect(typeof run.run_id).toBe('string');
    expect(run.run_id).not.toBe('');
    expect(typeof run.tables_checked).toBe('number');
    expect(run.tables_checked as number).toBeGreaterThan(0);
    // the run was recorded in the database
    const { rows } = await testDb.db.pool.query(
      'SELECT status, dry_run FROM agent_runs WHERE id::text = $1',
      [String(run.run_id)],
    );
    expect(rows).toEqual([{ status: 'success', dry_run: false }]);
  }, 120_000);

  it('agent run maintenance --dry-run --json reports a dry run', async () => {
    const r = await runCli(['agent', 'run', 'maintenance', '--dry-run', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const run = parseOneJson(r.stdout);
    expect(run).toMatchObject({ agent: 'maintenance', status: 'success', dry_run: true });
    expect(typeof run.tables_checked).toBe('number');
  }, 120_000);

  it('agent run with an unknown name exits non-zero naming the known agents', async () => {
    const r = await runCli(['agent', 'run', 'nosuch'], env);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toMatch(/nosuch/);
    expect(r.stderr).toMatch(/maintenance/);
    expect(r.stdout).toBe('');
  }, 120_000);

  it('agent list --json shows every agent with its schedule', async () => {
    const r = await runCli(['agent', 'list', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const items = parseOneJson(r.stdout).items as Record<string, unknown>[];
    expect(items.find((i) => i.name === 'maintenance')).toMatchObject({ schedule: '30 3 * * *' });
  }, 120_000);
});

describe('roi', () => {
  it('rebuild --dry-run computes and rolls back; update says what it did, then that nothing changed', async () => {
    const dry = await runCli(['roi', 'rebuild', '--dry-run', '--json'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(parseOneJson(dry.stdout)).toMatchObject({ dry_run: true, mode: 'rebuild', deleted: 0 });
    // the dry run recorded nothing: the first real run of the day is still a rebuild
    const first = await runCli(['roi', 'update'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /^rebuilt \d+ ASINs; \d+ offers \(0 rows replaced or removed, \d+ written\) in \d+ ms\n$/,
    );
    const idle = await runCli(['roi', 'update', '--json'], env);
    expect(parseOneJson(idle.stdout)).toMatchObject({ dry_run: false, mode: 'changes', keys: 0, rows: null });
  });
});

describe('migrate', () => {
  it('migrate --json on a migrated database applies nothing and reports nothing pending', async () => {
    const r = await runCli(['migrate', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = parseOneJson(r.stdout);
    expect(out.applied).toEqual([]);
    expect(out.pending).toBe(0);
    const migrations = out.migrations as { state: string }[];
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.every((m) => m.state === 'applied')).toBe(true);
  }, 120_000);
});
