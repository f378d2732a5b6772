import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/fixtures/price-lists/files.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { type LoadContext, type LoadSummary, runLoad, type StagedLoad } from './index.ts';

// A toy domain: a file of `key,value` lines after a header, merged into load_test by key.
interface ToySummary extends LoadSummary {
  written: number;
}

let tdb: TestDatabase;
const tmp = tempDir('awa-load-test-');
let seq = 0;
const errors: unknown[][] = [];
// silent, but remembers what was logged as an error (the after-hook's failure)
const log: Logger = Object.assign(Object.create(silentLogger), {
  error: (...args: unknown[]) => errors.push(args),
});

beforeAll(async () => {
  tdb = await createTestDatabase();
  await tdb.db.pool.query('CREATE TABLE load_test (k text PRIMARY KEY, v integer NOT NULL, load_id bigint)');
});

afterAll(async () => {
  await tdb?.drop();
  tmp.cleanup();
});

beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE load_test, load_log');
  errors.length = 0;
});

function file(...lines: string[]): string {
  seq += 1;
  const f = path.join(tmp.dir, `toy-${seq}.csv`);
  writeFileSync(f, ['k,v', ...lines].join('\n'));
  return f;
}

/** The toy's load step: every line tallied, the valid ones upserted; `written` counts real changes. */
async function mergeToy(ctx: LoadContext<ToySummary>, f: string): Promise<void> {
  const lines = readFileSync(f, 'utf8').split('\n').slice(1).filter(Boolean);
  for (const [i, l] of lines.entries()) {
    const [k, v] = l.split(',');
    const ok = /^\d+$/.test(v ?? '');
    const row = ok
      ? { ok: true as const }
      : {
          ok: false as const,
          rejections: [{ line: i + 2, column: 'v', value: v ?? '', reason: 'not a number' }],
        };
    if (!ctx.tally(row)) continue;
    const r = await ctx.client.query(
      `INSERT INTO load_test (k, v, load_id) VALUES ($1, $2, $3)
       ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v WHERE load_test.v IS DISTINCT FROM EXCLUDED.v`,
      [k, Number(v), ctx.loadId],
    );
    ctx.summary.written += r.rowCount ?? 0;
  }
}

const steps: string[] = [];
function toy(f: string, more: Partial<StagedLoad<ToySummary>> = {}): Promise<ToySummary> {
  return runLoad<ToySummary>({
    db: tdb.db,
    log,
    file: f,
    lock: 'toy:shop',
    summary: (base) => ({ ...base, written: 0 }),
    load: async (ctx) => {
      steps.push(ctx.summary.sha256);
      await mergeToy(ctx, f);
    },
    ...more,
  });
}

const q = async (sql: string) => (await tdb.db.pool.query(sql)).rows;
/** Advisory locks held (granted) or waited for in this test's database (other tests share the server). */
const advisoryLocks = async (granted: boolean) =>
  (
    await tdb.db.pool.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted = $1
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [granted],
    )
  ).rows[0].n as number;
const data = () => q('SELECT k, v FROM load_test ORDER BY k');
const loads = () => q('SELECT id::int AS id, source, status, rows_inserted FROM load_log ORDER BY id');

describe('runLoad', () => {
  it('loads, records the load in load_log and runs the after-hook once it committed', async () => {
    const seen: string[] = [];
    const s = await toy(file('a,1', 'b,2'), {
      record: async (_c, sum) => ({ meta: { written: sum.written }, rowsInserted: sum.written }),
      after: async (sum) => {
        seen.push(`${sum.status}:${(await data()).length}`);
      },
    });
    expect(s).toMatchObject({ status: 'success', rows: 2, rejected: 0, written: 2, dry_run: false });
    expect(s.load_id).toEqual(expect.any(Number));
    expect(await data()).toEqual([
      { k: 'a', v: 1 },
      { k: 'b', v: 2 },
    ]);
    expect(await loads()).toEqual([
      { id: s.load_id, source: 'toy:shop', status: 'success', rows_inserted: 2 },
    ]);
    expect(await q('SELECT load_id::int AS load_id FROM load_test')).toEqual([
      { load_id: s.load_id },
      { load_id: s.load_id },
    ]);
    // the after-hook saw the committed rows
    expect(seen).toEqual(['success:2']);
  });

  it('serialises two loads of the same file: the second waits for the lock, then is skipped', async () => {
    const f = file('a,1', 'b,2');
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const first = toy(f, {
      load: async (ctx) => {
        await mergeToy(ctx, f);
        await gate; // hold the transaction (and the lock) open
      },
    });
    // the first holds the lock once its rows are in (uncommitted)
    await until(async () => (await advisoryLocks(true)) === 1);
    const second = toy(f);
    await until(async () => (await advisoryLocks(false)) === 1);
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(a).toMatchObject({ status: 'success', written: 2 });
    expect(b).toMatchObject({ status: 'skipped', rows: 0, written: 0, load_id: a.load_id });
    expect(await loads()).toHaveLength(1);
    expect(await data()).toHaveLength(2);
  });

  it('a load step that fails leaves neither data nor a load_log row, and the error reaches the caller', async () => {
    const f = file('a,1', 'b,2');
    const after: string[] = [];
    const failing = toy(f, {
      load: async (ctx) => {
        await mergeToy(ctx, f);
        throw new Error('disk on fire');
      },
      after: async () => {
        after.push('ran');
      },
    });
    await expect(failing).rejects.toThrow('disk on fire');
    expect(await data()).toEqual([]);
    expect(await loads()).toEqual([]);
    expect(after).toEqual([]);
    // nothing recorded: the same file loads afterwards
    expect(await toy(f)).toMatchObject({ status: 'success', written: 2 });
  });

  it('a dry run returns the real run’s counts and leaves nothing behind', async () => {
    await toy(file('a,1', 'b,2'));
    const before = { data: await data(), loads: await loads() };
    const f = file('a,1', 'b,3', 'c,4', 'd,x');
    const after: string[] = [];
    const dry = await toy(f, {
      dryRun: true,
      skipInvalid: true,
      after: async () => {
        after.push('ran');
      },
    });
    expect(dry).toMatchObject({
      status: 'partial',
      dry_run: true,
      rows: 4,
      rejected: 1,
      written: 2,
      load_id: null,
    });
    expect({ data: await data(), loads: await loads() }).toEqual(before);
    expect(after).toEqual([]);
    const real = await toy(f, { skipInvalid: true });
    for (const k of ['status', 'rows', 'rejected', 'written', 'rejections'] as const) {
      expect(real[k], k).toEqual(dry[k]);
    }
    expect(await data()).toHaveLength(4 - 1);
  });

  it('skips a file loaded before unless forced; a forced re-load keeps the load_log row', async () => {
    const f = file('a,1');
    const first = await toy(f);
    steps.length = 0;
    expect(await toy(f)).toMatchObject({ status: 'skipped', load_id: first.load_id });
    expect(steps).toEqual([]); // the step did not run at all
    await tdb.db.pool.query(`UPDATE load_test SET v = 9`);
    const forced = await toy(f, { force: true });
    expect(forced).toMatchObject({ status: 'success', written: 1, load_id: first.load_id });
    expect(await data()).toEqual([{ k: 'a', v: 1 }]);
    expect(await loads()).toHaveLength(1);
    // the same content from another source is another load
    expect(await toy(f, { lock: 'toy:other' })).toMatchObject({ status: 'success' });
  });

  it('an after-hook that fails is logged and does not undo the load', async () => {
    const s = await toy(file('a,1'), {
      after: async () => {
        throw new Error('ROI refresh down');
      },
    });
    expect(s).toMatchObject({ status: 'success', written: 1 });
    expect(await data()).toEqual([{ k: 'a', v: 1 }]);
    expect(await loads()).toMatchObject([{ status: 'success' }]);
    expect(errors).toHaveLength(1);
    expect(String((errors[0]![0] as { err: Error }).err.message)).toBe('ROI refresh down');
  });

  it('an invalid row rejects the file (nothing written) unless skipInvalid', async () => {
    const f = file('a,1', 'b,zero', 'c,3');
    const s = await toy(f);
    expect(s).toMatchObject({ status: 'rejected', rows: 3, rejected: 1, load_id: null });
    expect(s.rejections).toEqual([{ line: 3, column: 'v', value: 'zero', reason: 'not a number' }]);
    expect(await data()).toEqual([]);
    expect(await loads()).toEqual([]);
    expect(await toy(f, { skipInvalid: true })).toMatchObject({ status: 'partial', written: 2 });
  });

  it('a header without data rows is an error naming the file; nothing is recorded', async () => {
    const f = file();
    await expect(toy(f, { fileName: 'empty.csv' })).rejects.toMatchObject({
      kind: 'invalid',
      message: 'empty.csv has a header but no data rows',
    });
    expect(await loads()).toEqual([]);
  });

  it('the source may be resolved under the lock; a snapshot source counts only its latest load', async () => {
    const [a, b] = [file('a,1'), file('a,2')];
    const snapshot = { resolve: async () => 'toy:card', latestOnly: true };
    await toy(a, snapshot);
    await toy(b, snapshot);
    // A again after B: A's content is not what the source holds now, so it loads again
    expect(await toy(a, snapshot)).toMatchObject({ status: 'success', written: 1 });
    expect(await toy(a, snapshot)).toMatchObject({ status: 'skipped' });
    expect((await loads()).map((l) => l.source)).toEqual(['toy:card', 'toy:card']);
    // without latestOnly an earlier content stays done
    await toy(a);
    await toy(b);
    expect(await toy(a)).toMatchObject({ status: 'skipped' });
  });
});

async function until(cond: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
