import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { AppError } from '../../platform/errors.ts';
import { FILE_LOAD_FIELDS, withPayload } from '../../platform/jobs/index.ts';
import { objectToLocal } from '../../platform/sources.ts';
import { importDeps } from './import.deps.ts';
import { importPriceList } from './import.service.ts';
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

/**
 * Imports a price list uploaded over HTTP. The file is copied from object storage to a temp file
 * (the parser needs random access for XLSX) and imported in one transaction, so a worker killed
 * mid-import leaves nothing behind and pg-boss's retry starts clean; a retry after a commit that
 * was not yet acknowledged finds the load in load_log and reports `skipped`, not duplicates.
 */
export const priceListImportJob = withPayload(ImportJobPayload, {
  name: 'price_list_import',
  description: 'Import an uploaded vendor price list (queued by POST /api/v1/price-lists)',
  retry: { limit: 3, delaySeconds: 10, backoff: true },
  expireInSeconds: (config) => config.IMPORT_TIMEOUT_SECONDS,
  handler: async (ctx) => {
    const d = ctx.data;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'awa-import-'));
    try {
      const fileName = d.file_name ?? path.basename(d.object_key);
      const { file } = await objectToLocal(ctx.deps.store, d.object_key, dir);
      const s = await importPriceList(importDeps(ctx.deps), {
        file,
        fileName,
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
      });
      if (s.status === 'rejected') {
        throw new AppError('invalid', `${s.rejected} of ${s.rows} rows are invalid; nothing was imported`, s);
      }
      const { rows, inserted, updated, unchanged, duplicates, rejected } = s;
      return {
        status: s.status === 'skipped' ? 'skipped' : 'success',
        reason: s.status === 'skipped' ? 'already_imported' : s.status,
        counts: { rows, inserted, updated, unchanged, duplicates, rejected },
        result: s,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
