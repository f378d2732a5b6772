import type { MessageQueue, QueueMessage } from '../../platform/aws/sqs.ts';
import { messageOf } from '../../platform/errors.ts';
import { evaluateAfter } from '../decisions/engine.service.ts';
import type { Mode } from '../repricer/plan.ts';
import { type DecideDeps, type Decided, decideDue } from './decide.service.ts';
import { nextDue } from './pending.repo.ts';
import { recordMessage } from './record.service.ts';

// SQS's longest long poll: an idle consumer asks once per 20 s.
const WAIT_S = 20;
const MAX_MESSAGES = 10;
// Recording a message takes milliseconds; a consumer that died holding messages hands them back after this.
const VISIBILITY_S = 60;
// The decision loop looks for due ASINs at least this often (another worker's notifications, lease expiries).
const IDLE_CHECK_MS = 1000;
// The inbox's market rules (price_war reads buybox_history) are re-evaluated at most this often
// while notifications land, and once more at the end of a run.
const EVALUATE_EVERY_MS = 60_000;

export interface ConsumeDeps extends DecideDeps {
  queue: MessageQueue;
}

export interface ConsumeOptions {
  mode: Mode;
  /** Stop receiving at this time (by the real clock, ms). */
  until: number;
  /** Stop early once the queue is empty and no decision is owed (a manual run). */
  drain?: boolean;
  signal?: AbortSignal;
  onDecided?: (d: Decided, counts: Readonly<ConsumeCounts>) => void;
}

export type ConsumeCounts = Record<
  | 'received'
  | 'redelivered'
  | 'applied'
  | 'stale'
  | 'duplicate'
  | 'ignored'
  | 'rejected'
  | 'other_type'
  | 'record_errors'
  | 'deleted'
  | 'delete_failed'
  | 'decisions'
  | 'decided_asins'
  | 'tripped'
  | 'decision_failures',
  number
>;

/**
 * The offers consumer: one loop long-polls the queue and records each message (its own transaction)
 * and deletes it once that committed, so a crash in between means a redelivery that the
 * NotificationId turns into a no-op; a message whose recording failed is left for redelivery (the
 * queue's redrive policy moves one that keeps failing to its dead-letter queue). A second loop
 * decides the ASINs whose debounce is over. Both stop at `until` (or on `signal`).
 */
export async function consume(deps: ConsumeDeps, opts: ConsumeOptions): Promise<ConsumeCounts> {
  const counts: ConsumeCounts = {
    received: 0,
    redelivered: 0,
    applied: 0,
    stale: 0,
    duplicate: 0,
    ignored: 0,
    rejected: 0,
    other_type: 0,
    record_errors: 0,
    deleted: 0,
    delete_failed: 0,
    decisions: 0,
    decided_asins: 0,
    tripped: 0,
    decision_failures: 0,
  };
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort);
  const timer = setTimeout(onAbort, Math.max(0, opts.until - Date.now()));
  let poke: (() => void) | undefined;
  let queueEmpty = false;
  let landed = 0;
  let lastEvaluation = Date.now();

  const evaluate = async () => {
    landed = 0;
    lastEvaluation = Date.now();
    await evaluateAfter(deps, 'market');
  };

  const record = async (m: QueueMessage): Promise<boolean> => {
    counts.received++;
    if (m.receiveCount > 1) counts.redelivered++;
    try {
      const r = await recordMessage(deps, m);
      counts[r.outcome]++;
      if (r.outcome === 'rejected')
        deps.log.warn({ message_id: m.id, reason: r.reason }, 'offers: message refused');
      if (r.outcome === 'applied' || r.outcome === 'stale') landed++;
      if (r.outcome === 'applied' && r.owed) poke?.();
      return true;
    } catch (err) {
      counts.record_errors++;
      deps.log.error(
        { err, message_id: m.id, receive_count: m.receiveCount },
        'offers: recording failed; left for redelivery',
      );
      return false;
    }
  };

  const receiving = async () => {
    while (!stop.signal.aborted) {
      let batch: QueueMessage[];
      try {
        batch = await deps.queue.receive({
          max: MAX_MESSAGES,
          waitSeconds: opts.drain ? 1 : WAIT_S,
          visibilitySeconds: VISIBILITY_S,
          signal: stop.signal,
        });
      } catch (err) {
        if (stop.signal.aborted) break;
        throw err;
      }
      queueEmpty = batch.length === 0;
      const done: QueueMessage[] = [];
      for (const m of batch) if (await record(m)) done.push(m);
      if (done.length > 0) {
        const failed = await deps.queue.delete(done).catch((err: unknown) => {
          deps.log.warn({ err: messageOf(err) }, 'offers: delete failed; the messages come back, as no-ops');
          return done.map((m) => m.id);
        });
        counts.deleted += done.length - failed.length;
        counts.delete_failed += failed.length;
      }
      if (queueEmpty && opts.drain) {
        // done once nothing is owed soon: a decision put off after a failure is the next run's
        const next = await nextDue(deps.db.pool, deps.config.AWA_MARKETPLACE);
        const soon = deps.clock.now().getTime() + 2 * deps.config.OFFERS_DEBOUNCE_MS + 1000;
        if (next === null || next.getTime() > soon) break;
      }
    }
  };

  const deciding = async () => {
    for (;;) {
      const d = await decideDue(deps, opts.mode);
      if (d) {
        counts.decisions++;
        counts.decided_asins += d.asins.length;
        if (d.status === 'tripped') counts.tripped++;
        if (d.status === 'failed') counts.decision_failures++;
        landed++;
        opts.onDecided?.(d, counts);
        continue;
      }
      if (landed > 0 && Date.now() - lastEvaluation >= EVALUATE_EVERY_MS) await evaluate();
      if (stop.signal.aborted || (opts.drain && queueEmpty && receiverDone)) break;
      const next = await nextDue(deps.db.pool, deps.config.AWA_MARKETPLACE);
      const waitMs = next
        ? Math.min(IDLE_CHECK_MS, next.getTime() - deps.clock.now().getTime())
        : IDLE_CHECK_MS;
      await new Promise<void>((resolve) => {
        const t = setTimeout(wake, Math.max(0, waitMs));
        function wake() {
          clearTimeout(t);
          poke = undefined;
          stop.signal.removeEventListener('abort', wake);
          resolve();
        }
        poke = wake;
        stop.signal.addEventListener('abort', wake);
      });
    }
  };

  let receiverDone = false;
  let failure: unknown;
  // the queue failing (gone, credentials refused) ends the run, after the decision under way
  const received = receiving()
    .catch((err: unknown) => {
      failure = err;
      stop.abort();
    })
    .finally(() => {
      receiverDone = true;
      poke?.();
    });
  try {
    await Promise.all([received, deciding()]);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    stop.abort();
  }
  if (landed > 0) await evaluate();
  if (failure) throw failure;
  return counts;
}
