import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Logger } from '../../platform/logger.ts';
import { evaluateAfter } from '../decisions/engine.service.ts';
import { roiSettingsFrom, updateRoi } from '../roi/roi.service.ts';
import type { IngestDeps } from './ingest.service.ts';
import type { ReportType } from './parse/index.ts';

/** Reports whose rows change landed cost or the returns allowance (SPEC §6). */
const ROI_INPUTS = new Set<ReportType>([
  'fee_preview',
  'returns',
  'reimbursements',
  'inventory_ledger',
  'settlement',
]);

/** The ingest's dependencies from a runtime (CLI) or a job's deps: one place wires config in. */
export function ingestDeps(rt: { db: Db; clock: Clock; log: Logger; config: Config }): IngestDeps {
  return {
    db: rt.db,
    clock: rt.clock,
    log: rt.log,
    defaultMarketplace: rt.config.AWA_MARKETPLACE,
    maxXlsxUncompressedBytes: rt.config.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES,
    afterIngest: async (type) => {
      if (ROI_INPUTS.has(type)) {
        await updateRoi(rt.db, {
          settings: roiSettingsFrom(rt.config),
          reason: `report:${type}`,
          clock: rt.clock,
        });
      }
      // every report feeds a rule: returns, shipments, the listings that say what we sell (SPEC §10)
      await evaluateAfter(rt, 'report');
    },
  };
}
