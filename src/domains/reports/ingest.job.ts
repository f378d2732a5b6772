import { type Static, Type } from '@sinclair/typebox';
import { AppError } from '../../platform/errors.ts';
import { FILE_LOAD_FIELDS, withPayload } from '../../platform/jobs/index.ts';
import { runFileLoadJob } from '../../platform/load/job.ts';
import { ingestDeps } from './ingest.deps.ts';
import { type IngestSummary, ingestReport } from './ingest.service.ts';
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

/** Ingests a report queued by POST /ingest, as every queued file load runs (runFileLoadJob). */
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
    return runFileLoadJob<IngestSummary>(ctx, d, {
      verb: 'ingested',
      alreadyDone: 'already_ingested',
      counts: ({ rows, inserted, updated, replaced, closed, kept, duplicates, rejected }) => ({
        rows,
        inserted,
        updated,
        replaced,
        closed,
        kept,
        duplicates,
        rejected,
      }),
      load: (local) =>
        ingestReport(ingestDeps(ctx.deps), {
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
        }),
    });
  },
});
