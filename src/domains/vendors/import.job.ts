import path from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { FILE_LOAD_FIELDS, withPayload } from '../../platform/jobs/index.ts';
import { runFileLoadJob } from '../../platform/load/job.ts';
import { importDeps } from './import.deps.ts';
import { type ImportSummary, importPriceList } from './import.service.ts';
import { FIELDS } from './parse/types.ts';

const ImportJobPayload = Type.Object({
  object_key: Type.String({ minLength: 1 }),
  vendor: Type.String({ minLength: 1 }),
  currency: Type.Optional(Type.String()),
  sheet: Type.Optional(Type.String()),
  map: Type.Optional(Type.Record(Type.String(), Type.Union(FIELDS.map((f) => Type.Literal(f))))),
  ...FILE_LOAD_FIELDS,
});

declare module '../../platform/jobs/types.ts' {
  interface JobPayloads {
    price_list_import: Static<typeof ImportJobPayload>;
  }
}

/** Imports a price list uploaded over HTTP, as every queued file load runs (runFileLoadJob). */
export const priceListImportJob = withPayload(ImportJobPayload, {
  name: 'price_list_import',
  description: 'Import an uploaded vendor price list (queued by POST /api/v1/price-lists)',
  retry: { limit: 3, delaySeconds: 10, backoff: true },
  expireInSeconds: (config) => config.IMPORT_TIMEOUT_SECONDS,
  handler: async (ctx) => {
    const d = ctx.data;
    return runFileLoadJob<ImportSummary>(
      ctx,
      { object_key: d.object_key },
      {
        verb: 'imported',
        alreadyDone: 'already_imported',
        counts: ({ rows, inserted, updated, unchanged, duplicates, rejected }) => ({
          rows,
          inserted,
          updated,
          unchanged,
          duplicates,
          rejected,
        }),
        load: (local) =>
          importPriceList(importDeps(ctx.deps), {
            file: local.file,
            fileName: d.file_name ?? path.basename(d.object_key),
            vendor: d.vendor,
            currency: d.currency,
            sheet: d.sheet,
            map: d.map,
            skipInvalid: d.skip_invalid,
            dryRun: ctx.dryRun,
            force: d.force,
            source: 'api',
            objectKey: d.object_key,
            actor: d.actor,
            onProgress: (n) => ctx.progress({ rows_read: n }),
          }),
      },
    );
  },
});
