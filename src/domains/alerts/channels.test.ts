import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedTasks } from '../../../test/factories/tasks.ts';
import { startFakeSmtp } from '../../../test/fakes/smtp.ts';
import { startFakeTelegram } from '../../../test/fakes/telegram.ts';
import { startWebhookReceiver } from '../../../test/fakes/webhook-receiver.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import { createChannels } from './channels.ts';
import { dispatch } from './dispatch.service.ts';
import { sendTest } from './targets.service.ts';
import { newSecret } from './webhook.client.ts';

let tdb: TestDatabase;
let smtp: Awaited<ReturnType<typeof startFakeSmtp>>;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
const secret = newSecret();
let t = Date.parse('2026-11-28T10:00:00Z');
const clock = { now: () => new Date(t) };
const advance = (s: number) => {
  t += s * 1000;
};

beforeAll(async () => {
  tdb = await createTestDatabase();
  smtp = await startFakeSmtp({ user: 'alerts@example.com', pass: 'p@ss word' });
  hook = await startWebhookReceiver(secret);
});
afterAll(async () => {
  await smtp.close();
  await hook.close();
  await tdb.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE notifications, notification_targets, tasks CASCADE');
  smtp.mails.length = 0;
  hook.accepted.length = 0;
});

function deps(env: Record<string, string>) {
  const config = loadConfig({ DATABASE_URL: tdb.url, ...env });
  return {
    db: tdb.db,
    clock,
    log: silentLogger,
    config,
    worker: 'w',
    channels: createChannels({ config, clock, log: silentLogger }),
  };
}
const mailEnv = () => ({ SMTP_URL: smtp.url, ALERT_EMAIL_TO: 'ops@example.com' });
const hookEnv = () => ({ WEBHOOK_URLS: hook.url, WEBHOOK_SECRET: secret });

describe('e-mail', () => {
  it('mails a critical alert at once and the lower severities as one digest per interval', async () => {
    await seedTasks(tdb.db.pool, 1, { at: clock.now() });
    await seedTasks(tdb.db.pool, 2, { at: clock.now(), severity: 'warning', type: 'price_war', prefix: 'w' });
    await seedTasks(tdb.db.pool, 2, { at: clock.now(), severity: 'info', type: 'price_change', prefix: 'i' });
    advance(2);
    await dispatch(deps(mailEnv()), { seconds: 20, drain: true });
    expect(smtp.mails.map((m) => m.subject)).toEqual([
      '[AWA] CRITICAL agent_failed: 1 firing — Task k 1 <needs> & care',
    ]);
    const [critical] = smtp.mails;
    expect(critical!.to).toMatchObject({ text: 'ops@example.com' });
    expect(critical!.messageId).toMatch(/^<msg_[0-9a-f]{32}@awa\.alerts>$/);
    expect(critical!.html).toContain('&lt;needs&gt; &amp; care');
    advance(3600);
    await dispatch(deps(mailEnv()), { seconds: 20, drain: true });
    expect(smtp.mails).toHaveLength(2);
    expect(smtp.mails[1]!.subject).toBe('[AWA] Digest: 4 firing (2 types)');
    expect(smtp.mails[1]!.text).toMatch(/Task w 1[\s\S]*Task w 2[\s\S]*Task i 1[\s\S]*Task i 2/);
  });

  it('retries a temporary refusal with the same Message-ID and gives up on a permanent one', async () => {
    smtp.refuseNext(451);
    await seedTasks(tdb.db.pool, 1, { at: clock.now() });
    advance(2);
    expect((await dispatch(deps(mailEnv()), { seconds: 20, drain: true })).counts).toMatchObject({
      retrying: 1,
    });
    advance(10);
    expect((await dispatch(deps(mailEnv()), { seconds: 20, drain: true })).counts).toMatchObject({
      delivered: 1,
    });
    smtp.refuseNext(550);
    await seedTasks(tdb.db.pool, 1, { at: clock.now(), prefix: 'b' });
    advance(60);
    const r = await dispatch(deps(mailEnv()), { seconds: 20, drain: true });
    expect(r.counts).toMatchObject({ failed: 1 });
    const { rows } = await tdb.db.pool.query(
      `SELECT state, attempts, last_error FROM notification_deliveries ORDER BY id`,
    );
    expect(rows[0]).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(rows[1]).toMatchObject({ state: 'failed', attempts: 1 });
    expect(rows[1].last_error).toContain('Mailbox unavailable');
  });

  it('names SMTP_URL when the server cannot be reached or refuses the login', async () => {
    const r = await sendTest(
      { ...deps({ SMTP_URL: 'smtp://nobody:wrong@127.0.0.1:1', ALERT_EMAIL_TO: 'ops@example.com' }) },
      'email',
    );
    expect(r).toMatchObject({ channel: 'email', status: 'failed', attempts: 0 });
    expect(r.error).toMatch(/^SMTP_URL smtp:\/\/nobody:\*\*\*@127\.0\.0\.1:1: .*ECONNREFUSED/);
    const ok = await sendTest(deps(mailEnv()), 'email');
    expect(ok).toMatchObject({ channel: 'email', status: 'delivered', attempts: 1 });
    expect(smtp.mails.at(-1)!.subject).toBe('[AWA] AWA test message');
  });
});

describe('webhooks', () => {
  it('signs per Standard Webhooks, retries on its schedule with the same webhook-id, and a 410 disables', async () => {
    hook.answerNext(500);
    await seedTasks(tdb.db.pool, 2, { at: clock.now() });
    advance(2);
    expect((await dispatch(deps(hookEnv()), { seconds: 20, drain: true })).counts).toMatchObject({
      retrying: 1,
    });
    advance(5); // the schedule's first retry
    await dispatch(deps(hookEnv()), { seconds: 20, drain: true });
    expect(hook.rejected).toEqual([]);
    expect(hook.accepted).toHaveLength(1);
    const [got] = hook.accepted;
    expect(got!.id).toMatch(/^msg_/);
    expect(got!.body.type).toBe('alerts.notification');
    expect(got!.body.data.alerts.map((a) => a.event)).toEqual(['created', 'created']);
    const { rows } = await tdb.db.pool.query(`SELECT key, attempts FROM notification_deliveries`);
    expect(rows).toEqual([{ key: got!.id, attempts: 2 }]);

    hook.answerNext(410);
    await seedTasks(tdb.db.pool, 1, { at: clock.now(), prefix: 'g' });
    advance(120);
    await dispatch(deps(hookEnv()), { seconds: 20, drain: true });
    const { rows: targets } = await tdb.db.pool.query(
      `SELECT enabled, disabled_reason FROM notification_targets`,
    );
    expect(targets).toEqual([{ enabled: false, disabled_reason: 'the endpoint answered 410 Gone' }]);
  });
});

describe('telegram checks', () => {
  it('names the variable when the token or a chat is wrong, and delivers a test message otherwise', async () => {
    const tg = await startFakeTelegram({ chats: ['-1001'] });
    try {
      const env = { TELEGRAM_API_BASE_URL: tg.url, TELEGRAM_CHAT_ID: '-1001' };
      const badToken = await sendTest(
        deps({ ...env, TELEGRAM_BOT_TOKEN: '999:AAwrongwrongwrongwrongwrong' }),
        'telegram',
      );
      expect(badToken.error).toMatch(/^TELEGRAM_BOT_TOKEN: Telegram refused the token \(Unauthorized\)/);
      const badChat = await sendTest(
        deps({ ...env, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_CHAT_ID: '-1001,-42' }),
        'telegram',
      );
      expect(badChat.error).toMatch(/^TELEGRAM_CHAT_ID -42: Bad Request: chat not found/);
      const ok = await sendTest(deps({ ...env, TELEGRAM_BOT_TOKEN: tg.token }), 'telegram');
      expect(ok).toMatchObject({ channel: 'telegram', status: 'delivered', attempts: 1 });
      expect(tg.messages.map((m) => m.chat_id)).toEqual(['-1001']);
    } finally {
      await tg.close();
    }
  });
});
