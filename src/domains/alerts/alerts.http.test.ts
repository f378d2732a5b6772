import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram } from '../../../test/fakes/telegram.ts';
import { startWebhookReceiver } from '../../../test/fakes/webhook-receiver.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { freePort } from '../../../test/helpers/net.ts';

/**
 * Alerts over HTTP: admins manage webhook endpoints (URL checked, secret shown once, test send
 * verified by an independent receiver), people set their own subscriptions with checked addresses.
 */
let t: TestApp;
let tg: Awaited<ReturnType<typeof startFakeTelegram>>;
let admin: string;
let viewer: string;

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, auth: string, body?: unknown) {
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: auth },
    payload: body as object,
  });
  return { status: res.statusCode, body: res.body ? res.json() : null };
}

beforeAll(async () => {
  tg = await startFakeTelegram({ chats: ['-1001', '4242'] });
  t = await createTestApp({
    env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_BASE_URL: tg.url, TELEGRAM_CHAT_ID: '-1001' },
  });
  admin = await t.bearer('admin');
  viewer = await t.bearer('viewer', 'vera@example.com');
});
afterAll(async () => {
  await t.close();
  await tg.close();
});

describe('webhook endpoints', () => {
  it('creates one with its secret shown once, tests it against a verifying receiver, lists and deletes it', async () => {
    const created = await call('POST', '/alerts/webhooks', admin, {
      url: 'http://127.0.0.1:1/x',
      min_severity: 'warning',
    });
    expect(created.status).toBe(400);
    expect(created.body.error.message).toMatch(/^url is unreachable: cannot reach 127\.0\.0\.1:1/);

    const plain = await call('POST', '/alerts/webhooks', admin, { url: 'http://hooks.example.com/awa' });
    expect(plain.status).toBe(400);
    expect(plain.body.error.message).toBe('url must use https:// (plain http is accepted only on loopback)');

    const badType = await call('POST', '/alerts/webhooks', admin, {
      url: 'https://x.example',
      task_types: ['nope'],
    });
    expect(badType.status).toBe(400);

    // the receiver needs the secret, which exists only once the endpoint does: create, then point it
    const probe = await startWebhookReceiver('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    const r = await call('POST', '/alerts/webhooks', admin, { url: probe.url, description: 'ops bus' });
    await probe.close();
    expect(r.status).toBe(201);
    expect(r.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    const receiver = await startWebhookReceiver(r.body.secret);
    try {
      await t.tdb.db.pool.query('UPDATE notification_targets SET address = $1 WHERE id = $2', [
        receiver.url,
        r.body.id,
      ]);
      const test = await call('POST', `/alerts/webhooks/${r.body.id}/test`, admin);
      expect(test.body).toMatchObject({ channel: 'webhook', status: 'delivered', attempts: 1 });
      expect(receiver.accepted.map((a) => a.body.type)).toEqual(['alerts.test']);
    } finally {
      await receiver.close();
    }
    const list = await call('GET', '/alerts/webhooks', admin);
    expect(list.body).toEqual([
      expect.objectContaining({ id: r.body.id, description: 'ops bus', origin: 'admin' }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    expect((await call('GET', '/alerts/webhooks', viewer)).status).toBe(403);
    expect((await call('DELETE', `/alerts/webhooks/${r.body.id}`, admin)).status).toBe(204);
    expect((await call('DELETE', `/alerts/webhooks/${r.body.id}`, admin)).status).toBe(404);
    const deliveries = await call('GET', '/alerts/deliveries', admin);
    expect(deliveries.body.total).toBe(0); // gone with the endpoint
  });

  it('rejects a port nobody listens on as unreachable', async () => {
    const port = await freePort();
    const r = await call('POST', '/alerts/webhooks', admin, { url: `http://localhost:${port}/hook` });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toMatchObject({ field: 'url', rule: 'reachable' });
  });
});

describe('my subscriptions', () => {
  it('checks the Telegram chat with the bot, defaults the e-mail address to mine, and keeps quiet hours', async () => {
    const bad = await call('PUT', '/me/notifications/telegram', viewer, { address: 'not-a-chat' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^address is not a Telegram chat id/);
    const unknown = await call('PUT', '/me/notifications/telegram', viewer, { address: '777' });
    expect(unknown.body.error.message).toMatch(
      /^address cannot be reached by the bot: Bad Request: chat not found/,
    );
    const ok = await call('PUT', '/me/notifications/telegram', viewer, {
      address: '4242',
      min_severity: 'critical',
      task_types: ['agent_failed', 'queue_backlog'],
      quiet_hours: { start: '22:00', end: '07:00', timezone: 'Europe/Berlin' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      channel: 'telegram',
      address: '4242',
      quiet_hours: { start: '22:00', end: '07:00' },
    });
    const tz = await call('PUT', '/me/notifications/telegram', viewer, {
      address: '4242',
      quiet_hours: { start: '22:00', end: '07:00', timezone: 'Mars/Base' },
    });
    expect(tz.body.error.details).toMatchObject({ field: 'quiet_hours.timezone' });
    const mail = await call('PUT', '/me/notifications/email', viewer, {});
    expect(mail.status).toBe(400);
    expect(mail.body.error.message).toMatch(
      /^channel is not set up on this installation \(SMTP_URL is not set\)/,
    );
    expect((await call('GET', '/me/notifications', viewer)).body).toHaveLength(1);
    expect((await call('DELETE', '/me/notifications/telegram', viewer)).status).toBe(204);
    expect((await call('GET', '/me/notifications', viewer)).body).toEqual([]);
  });

  it('tells anyone which channels this installation can send on', async () => {
    const res = await call('GET', '/me/notifications/channels', viewer);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { channel: 'telegram', configured: true, variable: 'TELEGRAM_BOT_TOKEN' },
      { channel: 'email', configured: false, variable: 'SMTP_URL' },
      { channel: 'webhook', configured: true, variable: null },
    ]);
  });
});
