import { mkdtempSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { marketplaceCodeInput } from '../../platform/amazon/marketplaces.ts';
import type { Config } from '../../platform/config.ts';
import { isAppError } from '../../platform/errors.ts';
import { fetchToLocal, objectToLocal } from '../../platform/sources.ts';
import type { ObjectStore } from '../../platform/storage/index.ts';
import { CATALOG, openReport, parseReportType, REPORT_TYPES, type ReportType } from './parse/index.ts';

/**
 * What a report file is, read from its header alone, before anything is ingested (SPEC §4: the
 * type is decided by the header row). An unknown header is an answer, not an error: the person
 * sees why and may pick the type by hand for the stored upload.
 */
export interface Detection {
  type: ReportType | null;
  label: string | null;
  /** Why no type was found (or why the chosen one does not fit); null when one was. */
  problem: string | null;
  format: 'csv' | 'xlsx' | null;
  delimiter: string | null;
  encoding: string | null;
  compressed: boolean | null;
  sheet: string | null;
  header_line: number | null;
  /** landing column → the header text in the file, for the columns it has. */
  columns: Record<string, string>;
  marketplace: string;
}

export interface DetectDeps {
  store: ObjectStore;
  config: Config;
}

/** Every type the ingest knows, with the name a seller reads. */
export const knownTypes = () => REPORT_TYPES.map((type) => ({ type, label: CATALOG[type].label }));

/** An upload's original name: its object key without the `<time>-<random>-` prefix uploadKey adds. */
export function uploadedName(objectKey: string): string {
  const base = path.posix.basename(objectKey);
  return /^\d{8}T\d{9}Z-[0-9a-f]{16}-(.+)$/.exec(base)?.[1] ?? base;
}

/** Reads the header of a local report file; an unrecognised one comes back with `problem`. */
export async function detectFile(
  file: string,
  o: {
    fileName: string;
    type?: string;
    marketplace?: string;
    maxUncompressedBytes: number;
    fallback: string;
  },
): Promise<Detection> {
  const marketplace = marketplaceCodeInput(o.marketplace ?? o.fallback);
  const forced = o.type ? parseReportType(o.type) : undefined;
  const none: Detection = {
    type: null,
    label: null,
    problem: null,
    format: null,
    delimiter: null,
    encoding: null,
    compressed: null,
    sheet: null,
    header_line: null,
    columns: {},
    marketplace,
  };
  try {
    const report = await openReport(file, {
      type: forced,
      marketplace,
      fileName: o.fileName,
      maxUncompressedBytes: o.maxUncompressedBytes,
    });
    await report.batches.return(undefined);
    const h = report.header;
    return {
      ...none,
      type: report.type,
      label: CATALOG[report.type].label,
      format: h.format,
      delimiter: h.delimiter ?? null,
      encoding: h.encoding ?? null,
      compressed: h.compressed,
      sheet: h.sheet ?? null,
      header_line: h.headerLine,
      columns: h.columns,
    };
  } catch (err) {
    // a file the parser refuses (unknown header, missing column, broken file): say why
    if (isAppError(err) && err.kind === 'invalid') return { ...none, problem: err.message };
    throw err;
  }
}

/** Detects an uploaded object or a remote URI, working on a temporary copy that is removed after. */
export async function detectSource(
  deps: DetectDeps,
  src: { objectKey?: string; uri?: string; fileName?: string; type?: string; marketplace?: string },
): Promise<Detection & { file_name: string; size: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'awa-detect-'));
  try {
    const local = src.uri
      ? await fetchToLocal(src.uri, dir, { store: deps.store, storage: deps.config })
      : await objectToLocal(deps.store, src.objectKey!, dir);
    const fileName = src.fileName ?? (src.objectKey ? uploadedName(src.objectKey) : local.name);
    const size = (await stat(local.file)).size;
    const d = await detectFile(local.file, {
      fileName,
      type: src.type,
      marketplace: src.marketplace,
      maxUncompressedBytes: deps.config.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES,
      fallback: deps.config.AWA_MARKETPLACE,
    });
    return { ...d, file_name: fileName, size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
