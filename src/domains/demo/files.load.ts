import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixedClock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import type { JobDeps } from '../../platform/jobs/index.ts';
import { ingestDeps } from '../reports/ingest.deps.ts';
import { ingestReport } from '../reports/ingest.service.ts';
import { importDeps } from '../vendors/import.deps.ts';
import { importPriceList } from '../vendors/import.service.ts';
import type { DemoCatalog } from './catalog.gen.ts';
import { priceListFiles } from './pricelists.gen.ts';
import { reportFiles } from './reports.gen.ts';
import { salesHistory } from './sales.gen.ts';
import { settlementFiles } from './settlement.gen.ts';
import { addDays, isoDay } from './units.ts';

export interface StepResult {
  name: string;
  status: string;
  /** The day the file was loaded as of, when not the load's (a list a vendor sent weeks ago). */
  as_of?: string;
  rows?: number;
  inserted: number;
  updated: number;
}

/** A step's key in the summary's `written`: a file loaded as of an earlier day says which. */
export const writtenKey = (s: StepResult) => (s.as_of ? `${s.name} (${s.as_of})` : s.name);

/**
 * The price lists and Amazon reports through the real importers, as a seller's uploads go: each with
 * the production after-steps (an incremental ROI refresh, then the inbox rules the file feeds). A list
 * a vendor sent weeks ago is imported with the clock of that day and without them: ROI and the rules
 * are not run as of the past (in a database that holds more than the demo they would answer for that
 * day and undo today's tasks); today's first import refreshes and evaluates what it changed too. A
 * skipped file (a repeated load) runs no after-step, so a second load of the same day changes nothing.
 */
export async function loadFiles(
  deps: JobDeps,
  catalog: DemoCatalog,
  market: { marketplace: string; now: Date; dir: string },
) {
  const { marketplace, now, dir } = market;
  const priceLists: StepResult[] = [];
  for (const f of priceListFiles(catalog)) {
    const at = addDays(now, -f.daysAgo);
    const file = path.join(dir, `${f.daysAgo}-${f.fileName}`);
    writeFileSync(file, f.content);
    const imports = importDeps({ ...deps, clock: fixedClock(at) });
    const s = await importPriceList(f.daysAgo > 0 ? { ...imports, afterImport: undefined } : imports, {
      file,
      fileName: f.fileName,
      vendor: f.vendor.name,
      source: 'cli',
      actor: 'demo',
    });
    if (s.status === 'rejected') {
      throw new AppError('internal', `demo price list ${f.fileName} was rejected`, s.rejections);
    }
    priceLists.push({
      name: f.fileName,
      status: s.status,
      ...(f.daysAgo > 0 ? { as_of: isoDay(at) } : {}),
      rows: s.rows,
      inserted: s.inserted,
      updated: s.updated,
    });
  }
  const ingests = ingestDeps(deps);
  const reports: StepResult[] = [];
  const sales = salesHistory(catalog, now);
  for (const f of [...reportFiles(catalog, sales, now), ...settlementFiles(catalog, sales, now)]) {
    const file = path.join(dir, f.fileName);
    writeFileSync(file, f.content);
    const s = await ingestReport(ingests, {
      file,
      marketplace,
      source: 'cli',
      actor: 'demo',
    });
    if (s.status === 'rejected') {
      throw new AppError('internal', `demo report ${f.fileName} was rejected`, s.rejections);
    }
    const name = s.type ?? f.fileName;
    // one line per report type: the settlements come as one file each
    const seen = reports.find((r) => r.name === name);
    if (!seen) {
      reports.push({ name, status: s.status, rows: s.rows, inserted: s.inserted, updated: s.updated });
      continue;
    }
    if (s.status !== 'skipped') seen.status = s.status;
    seen.rows = (seen.rows ?? 0) + s.rows;
    seen.inserted += s.inserted;
    seen.updated += s.updated;
  }
  return { priceLists, reports };
}
