import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { AppError } from '../../platform/errors.ts';
import { FILE_LOAD_FIELDS, withPayload } from '../../platform/jobs/index.ts';
import { fetchToLocal, objectToLocal } from '../../platform/sources.ts';
import { ingestDeps } from './ingest.deps.ts';
import { ingestReport } from './ingest.service.ts';
import { REPORT_TYPES } from './parse/index.ts';

// An uploaded file in object storage, or a URI to fetch (path, file://, s3://, http(s)://): one of them.
const IngestJobPayload = Type.Object({
  object_key: Type.Optional(Type.String({ minLength: 1 })),
  uri: Type.Optional(Type.String({ minLength: 1 })),
  type: Type.Optional(Type.Union(REPORT_TYPES.map((t) => Type.Literal(t)))),
  marketplace: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
  ...FILE_LOAD_FIELDS,
});

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    report_ingest: Static<typeof IngestJobPayload>;
  }
}

/**
 * Ingests a report queued by POST /ingest. The file is fetched to a temp file (the parser needs
 * random access for XLSX) and ingested in one transaction, so a worker killed mid-ingest leaves
 * nothing behind and pg-boss's retry starts clean; a retry after a commit that was not yet
 * acknowledged finds the load in load_log and reports `skipped`, never duplicates.
 */
export const reportIngestJob = withPayload(IngestJobPayload, {
  name: 'report_ingest',
  description: 'Ingest an Amazon report (queued by POST /api/v1/ingest)',
  retry: { limit: 3, delaySeconds: 10, backoff: true },
  expireInSeconds: (config) => config.IMPORT_TIMEOUT_SECONDS,
  handler: async (ctx) => {
    const d = ctx.data;
    if (!d.object_key && !d.uri) {
      throw new AppError('invalid', 'report_ingest needs object_key or uri (queue it with POST /ingest)');
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'awa-ingest-'));
    try {
      ctx.progress({ stage: 'downloading' });
      const { config, store } = ctx.deps;
      const local = d.uri
        ? await fetchToLocal(d.uri, dir, { store, storage: config })
        : await objectToLocal(store, d.object_key!, dir);
      const s = await ingestReport(ingestDeps(ctx.deps), {
        file: local.file,
        fileName: d.file_name ?? local.name,
        type: d.type,
        marketplace: d.marketplace,
        skipInvalid: d.skip_invalid,
        dryRun: ctx.dryRun,
        force: d.force,
        source: 'api',
        origin: d.uri ?? d.object_key,
        actor: d.actor,
        onStage: (stage) => ctx.progress({ stage }),
        onProgress: (n) => ctx.progress({ rows_read: n }),
      });
      if (s.status === 'rejected') {
        throw new AppError('invalid', `${s.rejected} of ${s.rows} rows are invalid; nothing was ingested`, s);
      }
      const { rows, inserted, updated, replaced, closed, kept, duplicates, rejected } = s;
      return {
        status: s.status === 'skipped' ? 'skipped' : 'success',
        reason: s.status === 'skipped' ? 'already_ingested' : s.status,
        counts: { rows, inserted, updated, replaced, closed, kept, duplicates, rejected },
        result: s,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
