import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Logger } from '../../platform/logger.ts';
import { evaluateAfter } from '../decisions/engine.service.ts';
import { roiSettingsFrom, updateRoi } from '../roi/roi.service.ts';
import type { ImportDeps } from './import.service.ts';

/** The import's dependencies from a runtime (CLI) or a job's deps: one place wires config in. */
export function importDeps(rt: { db: Db; clock: Clock; log: Logger; config: Config }): ImportDeps {
  return {
    db: rt.db,
    clock: rt.clock,
    log: rt.log,
    defaultCurrency: rt.config.AWA_CURRENCY,
    maxXlsxUncompressedBytes: rt.config.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES,
    // new costs change landed cost and ROI: refresh the view once the import has committed (SPEC §6)
    afterImport: async () => {
      await updateRoi(rt.db, { settings: roiSettingsFrom(rt.config), reason: 'import', clock: rt.clock });
      // then the inbox: costs that rose, ROI that fell (SPEC §10)
      await evaluateAfter(rt, 'price_list');
    },
  };
}
