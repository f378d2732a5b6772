import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/domains/auth/passwords.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { freePort } from '../helpers/net.ts';
import { baseEnv, type Env, parseOneJson, ROOT, removeDir, runCli, tempDataDir } from '../helpers/proc.ts';

// `awa user …` as an admin runs it: exit codes, --json, passwords from stdin, clear refusals.
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
});

afterAll(async () => {
  await testDb?.drop();
  removeDir(dataDir);
});

/** Runs the CLI with `input` on stdin (runCli gives it none). */
function withStdin(
  args: string[],
  input: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'awa.mjs'), ...args], { cwd: ROOT, env });
    const out = { stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out.stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out.stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ...out });
    });
    child.stdin.end(input);
  });
}

async function user(email: string) {
  const { rows } = await testDb.db.pool.query('SELECT * FROM users WHERE email = $1', [email]);
  return rows[0];
}

describe('awa user', () => {
  it('create --json prints {email, role, password} with a generated one-time password', async () => {
    const r = await runCli(['user', 'create', '--email', 'Ops@Example.com', '--role', 'ops', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = parseOneJson(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['email', 'password', 'role']);
    expect(out).toMatchObject({ email: 'ops@example.com', role: 'ops' });
    expect(out.password).toMatch(/^([a-km-zA-HJ-NP-Z2-9]{5}-){3}[a-km-zA-HJ-NP-Z2-9]{5}$/);
    const u = await user('ops@example.com');
    expect(u.must_change_password).toBe(true);
    expect(await verifyPassword(u.password_hash, out.password as string)).toBe(true);
  }, 60_000);

  it('create --password-stdin takes the password from stdin (not one-time) and prints none', async () => {
    const r = await withStdin(
      [
        'user',
        'create',
        '--email',
        'ann@example.com',
        '--role',
        'admin',
        '--name',
        'Ann',
        '--password-stdin',
        '--json',
      ],
      'my own long passphrase\n',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(parseOneJson(r.stdout)).toEqual({ email: 'ann@example.com', role: 'admin' });
    const u = await user('ann@example.com');
    expect(u).toMatchObject({ name: 'Ann', must_change_password: false });
    expect(await verifyPassword(u.password_hash, 'my own long passphrase')).toBe(true);
  }, 60_000);

  it('refuses bad input with a clear message, a non-zero exit and nothing written', async () => {
    const cases: [string[], string | undefined, RegExp][] = [
      [
        ['--email', 'x@example.com', '--role', 'root'],
        undefined,
        /role must be one of viewer, ops, admin \(got "root"\)/,
      ],
      [['--email', 'not-an-email', '--role', 'viewer'], undefined, /"not-an-email" is not an e-mail address/],
      [
        ['--email', 'ANN@example.com', '--role', 'viewer'],
        undefined,
        /a user with e-mail "ann@example.com" already exists/,
      ],
      [
        ['--email', 'weak@example.com', '--role', 'viewer', '--password-stdin'],
        'short\n',
        /password too short/,
      ],
      [['--email', 'empty@example.com', '--role', 'viewer', '--password-stdin'], '', /no password on stdin/],
    ];
    for (const [args, input, message] of cases) {
      const full = ['user', 'create', ...args];
      const r = input === undefined ? await runCli(full, env) : await withStdin(full, input);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    const { rows } = await testDb.db.pool.query('SELECT email FROM users ORDER BY email');
    expect(rows.map((x) => x.email)).toEqual(['ann@example.com', 'ops@example.com']);
  }, 120_000);

  it('list, reset-password and disable', async () => {
    const list = await runCli(['user', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    const items = parseOneJson(list.stdout).items as Record<string, unknown>[];
    expect(items.map((u) => [u.email, u.role, u.must_change_password])).toEqual([
      ['ann@example.com', 'admin', false],
      ['ops@example.com', 'ops', true],
    ]);
    expect(list.stdout).not.toContain('argon2');

    const reset = await runCli(['user', 'reset-password', '--email', 'ann@example.com', '--json'], env);
    expect(reset.code, reset.stderr).toBe(0);
    const pw = parseOneJson(reset.stdout).password as string;
    expect(await verifyPassword((await user('ann@example.com')).password_hash, pw)).toBe(true);
    expect((await user('ann@example.com')).must_change_password).toBe(true);

    const human = await runCli(['user', 'disable', '--email', 'ops@example.com'], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^disabled ops@example.com; ended 0 session\(s\)/);
    expect((await user('ops@example.com')).disabled_at).not.toBeNull();

    const unknown = await runCli(['user', 'disable', '--email', 'nobody@example.com'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no user with e-mail "nobody@example.com"/);
  }, 120_000);
});
