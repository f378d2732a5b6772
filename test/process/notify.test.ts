import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram } from '../fakes/telegram.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { baseEnv, type Env, parseOneJson, removeDir, runCli, tempDataDir } from '../helpers/proc.ts';

// `awa notify test` as an operator runs it against a fake Bot API: one JSON object, exit 0 when the
// message was delivered, 1 (with the variable to fix) when it was not.
let tdb: TestDatabase;
let tg: Awaited<ReturnType<typeof startFakeTelegram>>;
const dirs: string[] = [];

function env(extra: Env = {}): Env {
  const dir = tempDataDir();
  dirs.push(dir);
  return baseEnv({
    DATABASE_URL: tdb.url,
    AWA_DATA_DIR: dir,
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_BASE_URL: tg.url,
    TELEGRAM_CHAT_ID: '-1001',
    ...extra,
  });
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  tg = await startFakeTelegram({ chats: ['-1001'] });
});
afterAll(async () => {
  await tg.close();
  await tdb.drop();
  for (const d of dirs) removeDir(d);
});

describe('awa notify test', () => {
  it('delivers a test message and reports it', async () => {
    const r = await runCli(['notify', 'test', '--channel', 'telegram', '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(parseOneJson(r.stdout)).toMatchObject({ channel: 'telegram', status: 'delivered', attempts: 1 });
    expect(tg.messages.map((m) => m.text)).toEqual([expect.stringContaining('AWA test message')]);
  });

  it('exits 1 naming the variable when Telegram refuses, and refuses an unknown channel', async () => {
    tg.script('-1001', { status: 403 });
    const blocked = await runCli(['notify', 'test', '--channel', 'telegram', '--json'], env());
    expect(blocked.code).toBe(1);
    expect(parseOneJson(blocked.stdout)).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'Telegram: Forbidden: bot was blocked by the user',
    });
    const chat = await runCli(['notify', 'test', '--channel', 'telegram'], env({ TELEGRAM_CHAT_ID: '-5' }));
    expect(chat.code).toBe(1);
    expect(chat.stdout).toMatch(
      /^telegram: failed after 0 attempts: TELEGRAM_CHAT_ID -5: Bad Request: chat not found/,
    );
    const sms = await runCli(['notify', 'test', '--channel', 'sms'], env());
    expect(sms.code).toBe(1);
    expect(sms.stderr).toContain('--channel sms: not one of telegram, email, webhook');
    const mail = await runCli(['notify', 'test', '--channel', 'email'], env({ SMTP_URL: 'http://mail' }));
    expect(mail.code).toBe(1);
    expect(mail.stderr).toContain('SMTP_URL="http://mail": must be a URL starting with smtp: or smtps://');
  });
});
