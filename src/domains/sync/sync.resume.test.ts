import { afterEach, describe, expect, it } from 'vitest';
import { bigLedger } from '../../../test/fakes/spapi-reports.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { syncTypeInput } from './catalogue.ts';
import * as repo from './sync.repo.ts';
import { runSync } from './sync.service.ts';
import { count, type SyncWorld, syncWorld } from './testkit.ts';

// A worker that stops (killed, or out of patience) at any step leaves its request in sync_requests;
// the next worker takes it from there: never a second createReport, never a second load.

const DAY = 86_400_000;
const LEDGER = syncTypeInput('ledger');

let tdb: TestDatabase | undefined;
let world: SyncWorld | undefined;

afterEach(async () => {
  await world?.api.close();
  await tdb?.drop();
  world = undefined;
  tdb = undefined;
});

async function setup(): Promise<SyncWorld> {
  tdb = await createTestDatabase();
  world = await syncWorld(tdb);
  return world;
}

const requests = async () =>
  (await tdb!.db.pool.query('SELECT status, report_id, attempts FROM sync_requests ORDER BY id')).rows;

describe('sync: a stopped worker is resumed', () => {
  it('a report still being generated is resumed by the next run, not requested again', async () => {
    const w = await setup();
    w.api.script(LEDGER.spType, { polls: 5 });
    const since = new Date(w.time.nowMs() - 3 * DAY);
    const a = await runSync(w.worker({ maxPollMs: 60_000 }), { types: [LEDGER], since, force: true });
    expect(a.runs.map((r) => r.status)).toEqual(['pending']);
    expect(await requests()).toEqual([expect.objectContaining({ status: 'requested' })]);
    // the next scheduled run (not forced, another worker) finishes it
    const b = await runSync(w.worker(), { types: [LEDGER] });
    expect(b.runs.map((r) => [r.status, r.rows])).toEqual([['loaded', 9]]);
    expect(w.api.count('createReport')).toBe(1);
  });

  it('killed after createReport went out, before its reportId was saved: the report is adopted', async () => {
    const w = await setup();
    const deps = w.worker();
    const now = w.time.clock.now();
    const window = {
      window_start: new Date(now.getTime() - 4 * DAY),
      window_end: new Date(Math.floor(now.getTime() / DAY) * DAY),
    };
    const row = await repo.insertRequest(tdb!.db.pool, {
      report_type: LEDGER.spType,
      marketplace: 'US',
      ...window,
      status: 'pending',
      now,
    });
    await repo.updateRequest(tdb!.db.pool, row!.id, now, { create_sent_at: now });
    // what the dead worker's createReport did on Amazon's side
    const id = await deps.reports.createReport({
      reportType: LEDGER.spType,
      marketplaceIds: ['ATVPDKIKX0DER'],
      dataStartTime: window.window_start,
      dataEndTime: window.window_end,
    });
    const r = await runSync(w.worker(), { types: [LEDGER] });
    expect(r.runs.map((x) => [x.status, x.rows])).toEqual([['loaded', 12]]);
    expect(w.api.count('createReport')).toBe(1);
    expect(await requests()).toEqual([expect.objectContaining({ status: 'loaded', report_id: id })]);
  });

  it('a createReport Amazon refused created nothing: the next run asks again without adopting', async () => {
    const w = await setup();
    w.api.throttle('createReport', 4, 1); // the first call and its 3 retries
    const since = new Date(w.time.nowMs() - 3 * DAY);
    const a = await runSync(w.worker(), { types: [LEDGER], since, force: true });
    expect(a.runs.map((r) => r.status)).toEqual(['failed']);
    const b = await runSync(w.worker(), { types: [LEDGER] });
    expect(b.runs.map((r) => r.status)).toEqual(['loaded']);
    expect(w.api.count('getReports')).toBe(0);
    expect(w.api.calls.filter((c) => c.op === 'createReport').map((c) => c.status)).toEqual([
      429, 429, 429, 429, 202,
    ]);
  });

  it('killed mid-download: the next worker downloads again and loads once', async () => {
    const w = await setup();
    // a 5 MB ledger, so the download is still running when the worker is stopped
    w.api.script(LEDGER.spType, { body: () => bigLedger(5 << 20, w.time.nowMs()) });
    const ctl = new AbortController();
    const watch = setInterval(() => {
      if (w.api.count('document') > 0) ctl.abort(new Error('worker killed'));
    }, 1);
    const deps = { ...w.worker(), signal: ctl.signal };
    const since = new Date(w.time.nowMs() - 2 * DAY);
    const a = await runSync(deps, { types: [LEDGER], since, force: true }).finally(() =>
      clearInterval(watch),
    );
    expect(a.runs.map((r) => r.status)).toEqual(['failed']);
    expect(await requests()).toEqual([expect.objectContaining({ status: 'done', attempts: 1 })]);
    expect(await count(tdb!, 'inventory_ledger_raw')).toBe(0);

    const b = await runSync(w.worker(), { types: [LEDGER] });
    expect(b.runs.map((r) => r.status)).toEqual(['loaded']);
    const loaded = await count(tdb!, 'inventory_ledger_raw');
    expect(loaded).toBe(b.runs[0]!.rows);
    expect(loaded).toBeGreaterThan(30_000);
    expect(w.api.count('createReport')).toBe(1);
  });

  it('killed between the ingest commit and recording it: the ingest guard skips the second load', async () => {
    const w = await setup();
    const since = new Date(w.time.nowMs() - 5 * DAY);
    await runSync(w.worker(), { types: [LEDGER], since, force: true });
    const rows = await count(tdb!, 'inventory_ledger_raw');
    // as if the worker died before marking the request loaded
    await tdb!.db.pool.query("UPDATE sync_requests SET status = 'done', finished_at = NULL");
    const r = await runSync(w.worker(), { types: [LEDGER] });
    expect(r.runs.map((x) => [x.status, x.rows])).toEqual([['loaded', 0]]);
    expect(await count(tdb!, 'inventory_ledger_raw')).toBe(rows);
    expect(await count(tdb!, 'load_log', "status = 'success'")).toBe(1);
    expect(w.api.count('createReport')).toBe(1);
  });
});

describe('sync: two workers at once', () => {
  it('never request the same report twice', async () => {
    const w = await setup();
    const [a, b] = await Promise.all([runSync(w.worker()), runSync(w.worker())]);
    const loaded = [...a.runs, ...b.runs].filter((r) => r.status === 'loaded');
    // every (type, window) once between them: what one worker alone requests
    expect(w.api.count('createReport')).toBe(12);
    const asked = [...w.api.reports.values()].map((r) => `${r.reportType} ${r.start} ${r.end}`);
    expect(new Set(asked).size).toBe(asked.length);
    expect(loaded).toHaveLength(12);
    expect([...a.runs, ...b.runs].filter((r) => r.status === 'failed')).toEqual([]);
  });
});
