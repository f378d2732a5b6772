import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeTasks, resolveTasks, seedTasks } from '../../../test/factories/tasks.ts';
import { startFakeTelegram } from '../../../test/fakes/telegram.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { loadConfig } from '../../platform/config.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { silentLogger } from '../../platform/logger.ts';
import { createChannels } from './channels.ts';
import { beginPart, claim } from './deliveries.repo.ts';
import { dispatch } from './dispatch.service.ts';

let tdb: TestDatabase;
let tg: Awaited<ReturnType<typeof startFakeTelegram>>;
let t = Date.parse('2026-11-28T10:00:00Z');
const clock = { now: () => new Date(t) };
const advance = (s: number) => {
  t += s * 1000;
};

beforeAll(async () => {
  tdb = await createTestDatabase();
  tg = await startFakeTelegram({ chats: ['-1001', '-1002'] });
});
afterAll(async () => {
  await tg.close();
  await tdb.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE notifications, notification_targets, tasks CASCADE');
  tg.messages.length = 0;
  tg.refused.length = 0;
});

function deps(env: Record<string, string> = {}, worker = 'w1') {
  const config = loadConfig({
    DATABASE_URL: tdb.url,
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_BASE_URL: tg.url,
    TELEGRAM_CHAT_ID: '-1001,-1002',
    ...env,
  });
  return {
    db: tdb.db,
    clock,
    log: silentLogger,
    config,
    worker,
    channels: createChannels({ config, clock, log: silentLogger }),
  };
}
const drain = (d = deps()) => dispatch(d, { seconds: 30, drain: true });
const textTo = (chat: string) =>
  tg.messages
    .filter((m) => m.chat_id === chat)
    .map((m) => m.text)
    .join('\n');

describe('the outbox trigger', () => {
  it('writes notifications in the transaction of the task events, and nothing when it rolls back', async () => {
    await withTransaction(tdb.db, (c) => seedTasks(c, 3, { at: clock.now() }), { rollback: true });
    expect((await tdb.db.pool.query('SELECT count(*)::int AS n FROM notifications')).rows[0].n).toBe(0);
    const ids = await seedTasks(tdb.db.pool, 2, { at: clock.now() });
    await closeTasks(tdb.db.pool, [ids[0]!], clock.now());
    await resolveTasks(tdb.db.pool, [ids[1]!], clock.now());
    const { rows } = await tdb.db.pool.query(
      'SELECT task_id::int AS task_id, event, severity, summary FROM notifications ORDER BY id',
    );
    expect(rows).toEqual([
      { task_id: ids[0], event: 'created', severity: 'critical', summary: 'value 1 is off' },
      { task_id: ids[1], event: 'created', severity: 'critical', summary: 'value 2 is off' },
      { task_id: ids[0], event: 'muted', severity: 'critical', summary: 'value 1 is off' },
      { task_id: ids[1], event: 'resolved', severity: 'critical', summary: 'value 2 is off' },
    ]);
  });
});

describe('dispatch', () => {
  it('groups alerts per severity and type, waits group_wait, and sends each once per chat', async () => {
    await seedTasks(tdb.db.pool, 3, { at: clock.now(), type: 'agent_failed' });
    await seedTasks(tdb.db.pool, 1, { at: clock.now(), type: 'price_war', prefix: 'pw' });
    await seedTasks(tdb.db.pool, 2, {
      at: clock.now(),
      severity: 'info',
      type: 'price_change',
      prefix: 'pc',
    });
    const first = await drain();
    expect(first.counts).toMatchObject({ routed: 6, items: 8, messages: 0 }); // info is below the chats' minimum
    expect(tg.messages).toHaveLength(0);
    advance(1); // critical group_wait
    const second = await drain();
    expect(second.counts).toMatchObject({ messages: 4, delivered: 4 });
    for (const chat of ['-1001', '-1002']) {
      const text = textTo(chat);
      expect(text).toContain('CRITICAL agent_failed: 3 firing');
      expect(text).toContain('<b>Task k 1 &lt;needs&gt; &amp; care</b> — value 1 is off');
      expect(text.match(/Task k \d/g)).toHaveLength(3);
      expect(text.match(/Task pw \d/g)).toHaveLength(1);
    }
    advance(3600);
    expect((await drain()).counts.delivered).toBe(0); // nothing new: nothing sent again
    expect(tg.messages).toHaveLength(4);
  });

  it('closes the loop with a resolved message after group_interval, and reminds only of what still fires', async () => {
    const ids = await seedTasks(tdb.db.pool, 3, { at: clock.now() });
    advance(2);
    await drain();
    await resolveTasks(tdb.db.pool, [ids[0]!], clock.now());
    await closeTasks(tdb.db.pool, [ids[1]!], clock.now());
    advance(2);
    await drain();
    expect(tg.messages).toHaveLength(2); // the critical group_interval (3 s) has not passed
    advance(1);
    await drain();
    const resolved = tg.messages.slice(2);
    expect(resolved).toHaveLength(2);
    expect(resolved[0]!.text).toContain('1 resolved');
    expect(resolved[0]!.text).toContain(`✅ resolved: <b>Task k 1`);
    advance(4 * 3600); // repeat_interval of critical
    await drain();
    const repeat = tg.messages.slice(4);
    expect(repeat).toHaveLength(2);
    expect(repeat[0]!.text).toContain('Still open: 1');
    expect(repeat[0]!.text).toContain('Task k 3');
    expect(repeat[0]!.text).not.toMatch(/Task k [12]/);
  });

  it('splits a large group into valid HTML parts of at most 4096 characters, every alert once', async () => {
    await seedTasks(tdb.db.pool, 400, { at: clock.now() });
    advance(2);
    await drain(deps({ TELEGRAM_CHAT_ID: '-1001' }));
    const parts = tg.messages.filter((m) => m.chat_id === '-1001');
    expect(parts.length).toBeGreaterThan(5);
    expect(parts.every((p) => p.text.length <= 4096)).toBe(true);
    const seen = parts.flatMap((p) => [...p.text.matchAll(/Task k (\d+) /g)].map((m) => Number(m[1])));
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(tg.rates().minGapMs).toBeGreaterThanOrEqual(1000);
  });

  it('honours a 429 retry_after, sends plain text when the markup is refused, and gives up on a blocked bot', async () => {
    tg.script('-1001', { status: 429, retryAfter: 1 });
    tg.script('-1002', { status: 403 });
    await seedTasks(tdb.db.pool, 1, { at: clock.now() });
    advance(2);
    const r = await drain();
    expect(r.counts).toMatchObject({ delivered: 1, failed: 1 });
    expect(tg.refused.map((x) => x.status).sort()).toEqual([403, 429]);
    expect(textTo('-1001')).toContain('Task k 1');
    const { rows } = await tdb.db.pool.query(
      `SELECT state, last_error FROM notification_deliveries ORDER BY id`,
    );
    expect(rows.map((x) => x.state).sort()).toEqual(['delivered', 'failed']);
    expect(rows.find((x) => x.state === 'failed').last_error).toContain('bot was blocked by the user');

    tg.script('-1001', {
      status: 400,
      description: "Bad Request: can't parse entities: Unsupported start tag",
    });
    await seedTasks(tdb.db.pool, 1, { at: clock.now(), prefix: 'p' });
    advance(120);
    await drain(deps({ TELEGRAM_CHAT_ID: '-1001' }));
    const plain = tg.messages.at(-1)!;
    expect(plain.parse_mode).toBeUndefined();
    expect(plain.text).toContain('Task p 1 <needs> & care');
  });

  it('resends the part a killed worker may have sent, marked, and never the parts it finished', async () => {
    await seedTasks(tdb.db.pool, 1, { at: clock.now() });
    advance(2);
    const d = deps({ TELEGRAM_CHAT_ID: '-1001' }, 'dead-worker');
    // the dead worker: made the message, took the lease, announced part 0, then vanished
    const { makeMessages, route } = await import('./outbox.service.ts');
    const { policyOf } = await import('./policy.ts');
    // a dispatcher with no usable channel: syncs the targets and routes, sends nothing
    await dispatch(
      { ...d, channels: { ...d.channels, configured: () => false } },
      { seconds: 5, drain: true },
    );
    const odeps = { db: tdb.db, clock, policy: policyOf(d.config) };
    await route(odeps);
    await makeMessages(odeps, { repeats: false });
    const [taken] = await claim(tdb.db.pool, {
      now: clock.now(),
      worker: 'dead-worker',
      leaseS: 30,
      limit: 5,
    });
    expect(await beginPart(tdb.db.pool, taken!.id, 'dead-worker', 0, clock.now(), 30)).toBe(true);
    await drain(deps({ TELEGRAM_CHAT_ID: '-1001' }, 'w2'));
    expect(tg.messages).toHaveLength(0); // the lease still holds
    advance(31);
    await drain(deps({ TELEGRAM_CHAT_ID: '-1001' }, 'w2'));
    expect(tg.messages).toHaveLength(1);
    expect(tg.messages[0]!.text).toMatch(/^↻ <i>possibly repeated<\/i>\n/);
    const { rows } = await tdb.db.pool.query(
      `SELECT state, attempts, uncertain FROM notification_deliveries`,
    );
    expect(rows).toEqual([{ state: 'delivered', attempts: 2, uncertain: true }]);
  });
});
