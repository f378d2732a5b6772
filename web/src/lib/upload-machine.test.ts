import { describe, expect, it } from 'vitest';
import {
  fromJob,
  initialUploadState,
  isWatching,
  jobIdOf,
  problemsOf,
  realImportOptions,
  type UploadEvent,
  type UploadRequest,
  type UploadState,
  uploadPercent,
  uploadReducer,
} from './upload-machine.ts';

const request: UploadRequest = {
  fileName: 'prices.csv',
  size: 1000,
  options: { vendor: 'Muster GmbH', skipInvalid: false, dryRun: true, force: false },
};

function run(events: UploadEvent[], from: UploadState = initialUploadState): UploadState {
  return events.reduce(uploadReducer, from);
}

// the shape GET /api/v1/jobs/{id} answered for a file with invalid rows
const rejectedJob = {
  id: 'j1',
  status: 'failed',
  stage: 'failed',
  error: '5 of 10 rows are invalid; nothing was imported',
  result: {
    status: 'rejected',
    rows: 10,
    rejected: 5,
    rejections: [
      { line: 9, column: 'EAN', value: '4.00638E+12', reason: 'barcode is in scientific notation' },
      { line: 15, column: '', value: '', reason: 'repeated header row' },
    ],
    rejections_truncated: false,
  },
};

describe('uploadReducer', () => {
  it('walks idle → uploading → queued → importing → done', () => {
    let s = run([{ type: 'start', request }]);
    expect(s).toMatchObject({ kind: 'uploading', loaded: 0, total: 1000 });
    s = run([{ type: 'progress', loaded: 250, total: 1000 }], s);
    expect(uploadPercent(s)).toBe(25);
    s = run([{ type: 'accepted', jobId: 'j1' }], s);
    expect(s).toEqual({ kind: 'queued', jobId: 'j1', request });
    expect(isWatching(s)).toBe(true);
    s = run(
      [
        {
          type: 'job',
          job: { id: 'j1', status: 'running', stage: 'parsing', progress: { rows_read: 20000 } },
        },
      ],
      s,
    );
    expect(s).toMatchObject({ kind: 'importing', rowsRead: 20000, stage: 'parsing' });
    s = run(
      [{ type: 'job', job: { id: 'j1', status: 'success', result: { status: 'success', inserted: 4 } } }],
      s,
    );
    expect(s).toMatchObject({ kind: 'done', jobId: 'j1', summary: { inserted: 4 } });
    expect(isWatching(s)).toBe(false);
  });

  it('byte progress never goes backwards and a late progress event after acceptance is ignored', () => {
    let s = run([
      { type: 'start', request },
      { type: 'progress', loaded: 600 },
      { type: 'progress', loaded: 400 },
    ]);
    expect(s).toMatchObject({ loaded: 600, total: 1000 });
    s = run(
      [
        { type: 'accepted', jobId: 'j1' },
        { type: 'progress', loaded: 1000 },
      ],
      s,
    );
    expect(s.kind).toBe('queued');
  });

  it('a file with invalid rows ends rejected with each problem', () => {
    const s = run([
      { type: 'start', request },
      { type: 'accepted', jobId: 'j1' },
      { type: 'job', job: rejectedJob },
    ]);
    expect(s.kind).toBe('rejected');
    if (s.kind !== 'rejected') return;
    expect(s.problems).toEqual([
      { line: 9, column: 'EAN', value: '4.00638E+12', reason: 'barcode is in scientific notation' },
      { line: 15, column: '', value: '', reason: 'repeated header row' },
    ]);
    expect(s.message).toContain('5 of 10 rows');
    expect(s.request).toEqual(request);
  });

  it('a job that fails for another reason is failed with its message', () => {
    const s = run([
      { type: 'watch', jobId: 'j2' },
      { type: 'job', job: { id: 'j2', status: 'failed', error: 'the file is not a price list' } },
    ]);
    expect(s).toMatchObject({
      kind: 'failed',
      phase: 'job',
      jobId: 'j2',
      error: { code: 'job_failed', message: 'the file is not a price list' },
    });
  });

  it('an upload the server refuses is failed in the upload phase, keeping what was sent', () => {
    const s = run([
      { type: 'start', request },
      { type: 'upload_failed', error: { code: 'invalid', message: 'vendor is required', requestId: 'r1' } },
    ]);
    expect(s).toEqual({
      kind: 'failed',
      phase: 'upload',
      request,
      error: { code: 'invalid', message: 'vendor is required', requestId: 'r1' },
    });
    expect(jobIdOf(s)).toBeUndefined();
    // retry of an upload is the page's job (it has the file): the machine stays put
    expect(uploadReducer(s, { type: 'retry' })).toBe(s);
  });

  it('a lost poll can be retried and resumes watching the same job', () => {
    let s = run([
      { type: 'watch', jobId: 'j3' },
      { type: 'poll_failed', error: { code: 'network', message: 'offline' } },
    ]);
    expect(s).toMatchObject({ kind: 'failed', phase: 'poll', jobId: 'j3' });
    s = uploadReducer(s, { type: 'retry' });
    expect(s).toEqual({ kind: 'queued', jobId: 'j3', request: undefined });
  });

  it('ignores answers about another job and late answers after the outcome', () => {
    const queued = run([{ type: 'watch', jobId: 'j1' }]);
    expect(uploadReducer(queued, { type: 'job', job: { id: 'other', status: 'success' } })).toBe(queued);
    const done = uploadReducer(queued, { type: 'job', job: { id: 'j1', status: 'success', result: {} } });
    expect(uploadReducer(done, { type: 'job', job: { id: 'j1', status: 'running' } })).toBe(done);
    expect(uploadReducer(done, { type: 'poll_failed', error: { code: 'x', message: 'y' } })).toBe(done);
  });

  it('does not start a second upload over one in flight, but may after an outcome; reset returns to idle', () => {
    const uploading = run([{ type: 'start', request }]);
    expect(uploadReducer(uploading, { type: 'start', request: { ...request, fileName: 'b.csv' } })).toBe(
      uploading,
    );
    const rejected = run(
      [
        { type: 'accepted', jobId: 'j1' },
        { type: 'job', job: rejectedJob },
      ],
      uploading,
    );
    const again = uploadReducer(rejected, { type: 'start', request: { ...request, fileName: 'fixed.csv' } });
    expect(again).toMatchObject({ kind: 'uploading', request: { fileName: 'fixed.csv' } });
    expect(uploadReducer(again, { type: 'reset' })).toEqual({ kind: 'idle' });
  });

  it('watching from the URL starts at queued without a request; the same id twice is a no-op', () => {
    const s = run([{ type: 'watch', jobId: 'j9' }]);
    expect(s).toEqual({ kind: 'queued', jobId: 'j9' });
    expect(uploadReducer(s, { type: 'watch', jobId: 'j9' })).toBe(s);
  });
});

describe('fromJob', () => {
  it('maps queue words to queued and a running job without progress to 0 rows', () => {
    expect(fromJob({ id: 'j', status: 'retrying' }, { jobId: 'j' }).kind).toBe('queued');
    expect(fromJob({ id: 'j', status: 'running' }, { jobId: 'j' })).toMatchObject({
      kind: 'importing',
      rowsRead: 0,
      stage: 'running',
    });
  });

  it('an already imported file is done as skipped', () => {
    const s = fromJob({ id: 'j', status: 'skipped', result: { status: 'skipped' } }, { jobId: 'j' });
    expect(s).toMatchObject({ kind: 'done', summary: { status: 'skipped' } });
  });

  it('a cancelled job says so', () => {
    expect(fromJob({ id: 'j', status: 'cancelled' }, { jobId: 'j' })).toMatchObject({
      kind: 'failed',
      error: { code: 'job_cancelled' },
    });
  });
});

describe('problemsOf and realImportOptions', () => {
  it('keeps whatever fields a rejection has and treats line 0 as the whole file', () => {
    expect(problemsOf([{ line: 0, reason: 'no header row' }, 'odd', null])).toEqual([
      { line: null, column: '', value: '', reason: 'no header row' },
      { line: null, column: '', value: '', reason: 'odd' },
      { line: null, column: '', value: '', reason: '' },
    ]);
    expect(problemsOf(undefined)).toEqual([]);
  });

  it('offers the real import only after a dry run that did something', () => {
    const dry = run([
      { type: 'start', request },
      { type: 'accepted', jobId: 'j1' },
      { type: 'job', job: { id: 'j1', status: 'success', result: { status: 'success', dry_run: true } } },
    ]);
    expect(realImportOptions(dry)).toEqual({ ...request.options, dryRun: false });
    const real = run(
      [
        { type: 'start', request: { ...request, options: { ...request.options, dryRun: false } } },
        { type: 'accepted', jobId: 'j2' },
        { type: 'job', job: { id: 'j2', status: 'success', result: { status: 'success' } } },
      ],
      dry,
    );
    expect(realImportOptions(real)).toBeNull();
    const skipped = run([
      { type: 'start', request },
      { type: 'accepted', jobId: 'j3' },
      { type: 'job', job: { id: 'j3', status: 'skipped', result: { status: 'skipped' } } },
    ]);
    expect(realImportOptions(skipped)).toBeNull();
  });
});
