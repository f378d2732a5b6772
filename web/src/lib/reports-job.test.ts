import { describe, expect, it } from 'vitest';
import { ingestOutcome, jobFinished, realRequest, requestOf } from './reports-job.ts';
import { loadsCsvHref, loadsQuery, parseReportsSearch } from './reports-search.ts';

const job = (o: Record<string, unknown>) => ({ id: 'j1', ...o }) as Parameters<typeof ingestOutcome>[0];

describe('ingestOutcome', () => {
  it('queued and running jobs: the stage and the rows read so far', () => {
    expect(ingestOutcome(job({ status: 'queued', stage: 'queued' }))).toEqual({ kind: 'waiting' });
    expect(ingestOutcome(job({ status: 'retrying' }))).toEqual({ kind: 'waiting' });
    expect(
      ingestOutcome(job({ status: 'running', stage: 'parsing', progress: { rows_read: 20000 } })),
    ).toEqual({ kind: 'running', stage: 'parsing', rowsRead: 20000 });
    expect(ingestOutcome(job({ status: 'running', progress: { rows_read: 'x' } }))).toEqual({
      kind: 'running',
      stage: 'running',
      rowsRead: 0,
    });
  });

  it('a finished ingest gives its summary; skipped too', () => {
    const summary = { status: 'success', type: 'fee_preview', rows: 2, inserted: 2 };
    expect(ingestOutcome(job({ status: 'success', result: summary }))).toEqual({ kind: 'done', summary });
    expect(ingestOutcome(job({ status: 'skipped' }))).toEqual({
      kind: 'done',
      summary: { status: 'skipped' },
    });
  });

  it('a rejected file lists its problems by line; any other failure says why', () => {
    const out = ingestOutcome(
      job({
        status: 'failed',
        error: '1 of 3 rows are invalid; nothing was ingested',
        result: {
          status: 'rejected',
          rows: 3,
          rejected: 1,
          rejections: [{ line: 3, column: 'return-date', value: '2026-02-31', reason: 'not a date' }],
          rejections_truncated: false,
        },
      }),
    );
    expect(out).toMatchObject({
      kind: 'rejected',
      message: '1 of 3 rows are invalid; nothing was ingested',
      truncated: false,
      problems: [{ line: 3, column: 'return-date', value: '2026-02-31', reason: 'not a date' }],
    });
    expect(ingestOutcome(job({ status: 'failed', error: 'unknown header' }))).toEqual({
      kind: 'failed',
      message: 'unknown header',
    });
    expect(ingestOutcome(job({ status: 'cancelled' }))).toMatchObject({ kind: 'failed' });
  });

  it('knows when a job is finished', () => {
    for (const s of ['success', 'skipped', 'tripped', 'failed', 'cancelled'])
      expect(jobFinished(s)).toBe(true);
    for (const s of ['queued', 'retrying', 'running', undefined]) expect(jobFinished(s)).toBe(false);
  });
});

describe('requestOf / realRequest', () => {
  it('the stored upload of a dry run, queued again for real', () => {
    const r = requestOf(
      job({
        status: 'success',
        data: {
          object_key: 'raw/amazon/2026-01/x-fees.txt',
          file_name: 'fees.txt',
          type: 'fee_preview',
          dry_run: true,
          trigger: 'api',
        },
      }),
    );
    expect(r).toEqual({
      object_key: 'raw/amazon/2026-01/x-fees.txt',
      uri: undefined,
      file_name: 'fees.txt',
      type: 'fee_preview',
      dry_run: true,
      skip_invalid: false,
      force: false,
    });
    expect(realRequest(r!)).toEqual({
      object_key: 'raw/amazon/2026-01/x-fees.txt',
      file_name: 'fees.txt',
      type: 'fee_preview',
      skip_invalid: false,
      force: false,
      dry_run: false,
    });
    const remote = requestOf(job({ status: 'success', data: { uri: 's3://b/k.txt', dry_run: true } }))!;
    expect(realRequest(remote)).toMatchObject({ uri: 's3://b/k.txt', dry_run: false });
    expect(realRequest(remote)).not.toHaveProperty('object_key');
    expect(requestOf(job({ status: 'success', data: { dry_run: true } }))).toBeNull();
  });
});

describe('reports search', () => {
  it('keeps what is valid, drops the rest, and builds the API query and CSV link', () => {
    expect(
      parseReportsSearch({
        job: 'abc-1',
        type: 'fee_preview',
        status: 'failed',
        page: '3',
        page_size: '100',
      }),
    ).toEqual({ job: 'abc-1', type: 'fee_preview', status: 'failed', page: 3, page_size: 100 });
    expect(
      parseReportsSearch({ job: 'a b', type: 'DROP TABLE', status: 'odd', page: '1', page_size: '7' }),
    ).toEqual({});
    expect(loadsQuery({})).toEqual({ type: undefined, status: undefined, page: 1, page_size: 50 });
    expect(loadsCsvHref({ type: 'settlement', status: 'success', page: 4 })).toBe(
      '/api/v1/reports/loads.csv?type=settlement&status=success',
    );
    expect(loadsCsvHref({})).toBe('/api/v1/reports/loads.csv');
  });
});
