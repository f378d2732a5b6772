import path from 'node:path';
import { evaluate } from '../src/domains/decisions/engine.service.ts';
import { systemClock } from '../src/platform/clock.ts';
import type { Db } from '../src/platform/db/pool.ts';
import { finishRun, insertRun } from '../src/platform/jobs/runs.repo.ts';
import { seedTasks } from '../test/factories/tasks.ts';
import { type FakeTelegram, startFakeTelegram } from '../test/fakes/telegram.ts';
import { freshBenchDb, round, sleep, startAwa } from './roi-harness.ts';

/**
 * Notifications end to end: `awa start --roles worker` as a child process runs the `alerts`
 * dispatcher against a fake Telegram Bot API in this process, on a fresh embedded PostgreSQL.
 * - latency: an agent run fails and commits; the decisions engine evaluates right after (as writers
 *   do); the time from that commit to the critical task's message arriving at the fake;
 * - burst: `tasks` critical tasks created in one statement, to `chats` chats (enough for the 25/s
 *   overall limit to bind, not only the per-chat one); the worker is SIGKILLed when about half the
 *   messages have arrived and started again; then every task must have reached every chat once.
 */
export async function benchNotify(opts: { tasks: number; chats: number; latencyRuns: number }) {
  const chats = Array.from({ length: opts.chats }, (_, i) => String(-1_000_000 - i));
  const tg = await startFakeTelegram({ chats });
  const bdb = await freshBenchDb('notify');
  const db = { pool: bdb.pool } as unknown as Db;
  const env = bdb.env({
    AWA_ROLES: 'worker',
    LOG_LEVEL: 'warn',
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_BASE_URL: tg.url,
    TELEGRAM_CHAT_ID: chats.join(','),
  });
  const log = path.join(bdb.tmp, 'worker.log');
  try {
    let worker = await startAwa([], env, log);
    const checked = await waitUntil(
      () => tg.calls.filter((c) => c === 'getChat').length >= chats.length,
      30_000,
    );
    if (!checked) throw new Error('the dispatcher never checked the chats');

    // 1. latency: commit of the failing run → message at Telegram
    const latencies: number[] = [];
    for (let i = 0; i < opts.latencyRuns; i++) {
      const agent = `bench_agent_${i}`;
      const run = await insertRun(bdb.pool, {
        agent,
        dryRun: false,
        trigger: 'schedule',
        startedAt: new Date(),
      });
      await finishRun(bdb.pool, run.run_id, {
        status: 'failed',
        counts: {},
        error: 'upstream said no',
        finishedAt: new Date(),
        durationMs: 5,
      });
      const committed = Date.now();
      await evaluate({ db, clock: systemClock }, { types: ['agent_failed'] });
      const seen = await waitUntil(
        () => tg.messages.some((m) => m.text.includes(`Agent ${agent} failed`)),
        30_000,
      );
      if (!seen) throw new Error(`the alert for ${agent} never arrived`);
      latencies.push(
        Math.min(...tg.messages.filter((m) => m.text.includes(`Agent ${agent} failed`)).map((m) => m.at)) -
          committed,
      );
      await sleep(1500);
    }

    // 2. burst of tasks, worker killed halfway and restarted
    tg.messages.length = 0;
    const t0 = Date.now();
    await seedTasks(bdb.pool, opts.tasks, { at: new Date(), type: 'price_war', prefix: 'burst' });
    const parts = await waitFor(async () => {
      const { rows } = await bdb.pool.query(
        `SELECT coalesce(sum(jsonb_array_length(payload -> 'parts')), 0)::int AS n FROM notification_deliveries
         WHERE payload::text LIKE '%Task burst%'`,
      );
      return rows[0].n >= chats.length ? rows[0].n : undefined;
    }, 60_000);
    await waitUntil(() => tg.messages.length >= parts / 2, 120_000);
    worker.child.kill('SIGKILL');
    await worker.stop();
    const killedAt = { ms: Date.now() - t0, messages: tg.messages.length };
    worker = await startAwa([], env, log);
    const restartMs = Date.now() - t0 - killedAt.ms;
    await waitFor(async () => {
      const { rows } = await bdb.pool.query(
        `SELECT count(*)::int AS n FROM notification_deliveries WHERE state IN ('pending', 'sending')`,
      );
      return rows[0].n === 0 ? true : undefined;
    }, 300_000);
    const totalMs = Date.now() - t0;
    await worker.stop();
    return {
      chats: opts.chats,
      tasks: opts.tasks,
      latency_ms: { runs: latencies, max: Math.max(...latencies) },
      burst: {
        parts_planned: parts,
        messages_received: tg.messages.length,
        killed_after: killedAt,
        restart_ms: restartMs,
        all_delivered_s: round(totalMs / 1000, 1),
        ...coverage(tg, chats, opts.tasks),
        ...tg.rates(),
        refused: tg.refused.length,
        states: (
          await bdb.pool.query(
            `SELECT state, uncertain, count(*)::int AS n FROM notification_deliveries GROUP BY 1, 2`,
          )
        ).rows,
      },
    };
  } finally {
    await tg.close();
    await bdb.close();
  }
}

/** Every task's line in each chat: how many tasks arrived, how many more than once, and marked resends. */
function coverage(tg: FakeTelegram, chats: string[], tasks: number) {
  let missing = 0;
  let duplicated = 0;
  for (const chat of chats) {
    const seen = new Map<number, number>();
    for (const m of tg.messages.filter((x) => x.chat_id === chat)) {
      for (const hit of m.text.matchAll(/Task burst (\d+) /g))
        seen.set(Number(hit[1]), (seen.get(Number(hit[1])) ?? 0) + 1);
    }
    missing += tasks - seen.size;
    duplicated += [...seen.values()].filter((n) => n > 1).length;
  }
  return { missing, duplicated, marked_resends: tg.messages.filter((m) => m.text.startsWith('↻')).length };
}

async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(20);
  }
  return cond();
}

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(200);
  }
}
