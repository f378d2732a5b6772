import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOG, columnKey, REPORT_TYPES, type ReportType } from './catalog.ts';

interface SqlColumn {
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}

const migration = (name: string) =>
  readFileSync(new URL(`../../../../migrations/${name}`, import.meta.url), 'utf8');

/** Column definitions of every CREATE TABLE in the reports migration, plus columns added later. */
function landingTables(): Map<string, Map<string, SqlColumn>> {
  const sql = migration('0006_reports.sql');
  const tables = new Map<string, Map<string, SqlColumn>>();
  for (const m of sql.matchAll(/CREATE TABLE (\w+) \(([\s\S]*?)\n\);/g)) {
    const cols = new Map<string, SqlColumn>();
    for (const line of m[2]!.split('\n').map((l) => l.trim())) {
      const c = /^(\w+)\s+(\w+(?:\(\d+(?:,\s*\d+)?\))?)(.*)$/.exec(line);
      if (!c || ['PRIMARY', 'UNIQUE', 'CONSTRAINT', 'CHECK'].includes(c[1]!)) continue;
      cols.set(c[1]!, { type: c[2]!, notNull: /NOT NULL/.test(c[3]!), hasDefault: /DEFAULT/.test(c[3]!) });
    }
    tables.set(m[1]!, cols);
  }
  // 0014 added the fee preview's other fulfilment-fee columns
  for (const m of migration('0014_fees_vat.sql').matchAll(/ALTER TABLE (\w+)([\s\S]*?);/g)) {
    for (const c of m[2]!.matchAll(/ADD COLUMN (\w+)\s+(\w+(?:\(\d+(?:,\s*\d+)?\))?)/g)) {
      tables.get(m[1]!)?.set(c[1]!, { type: c[2]!, notNull: false, hasDefault: false });
    }
  }
  return tables;
}

const KIND_TYPES: Record<string, RegExp> = {
  text: /^(text|char\(\d+\))$/,
  int: /^integer$/,
  decimal: /^numeric\(/,
  date: /^date$/,
  timestamp: /^timestamptz$/,
  currency: /^char\(3\)$/,
  enum: /^text$/,
};

describe('catalog vs. migrations/0006_reports.sql', () => {
  const tables = landingTables();

  it.each(REPORT_TYPES)('%s: every column lands, with a fitting type', (type: ReportType) => {
    const spec = CATALOG[type];
    for (const target of [spec.target, ...(spec.summary ? [spec.summary] : [])]) {
      const table = tables.get(target.table);
      expect(table, target.table).toBeDefined();
      for (const [k, name] of target.columns.entries()) {
        const col = spec.columns[target.indexes[k]!]!;
        expect(col.name).toBe(name);
        const sql = table!.get(name);
        expect([target.table, name, sql !== undefined]).toEqual([target.table, name, true]);
        expect([name, sql!.type]).toEqual([name, expect.stringMatching(KIND_TYPES[col.kind]!)]);
        // numeric(p, s) allows p − s digits before the point
        const ps = /^numeric\((\d+),\s*(\d+)\)$/.exec(sql!.type);
        if (ps) expect([name, col.intDigits]).toEqual([name, Number(ps[1]) - Number(ps[2])]);
      }
      for (const fill of target.ingestFills)
        expect([target.table, fill, table!.has(fill)]).toEqual([target.table, fill, true]);
      // a NOT NULL column without default must come from the report (as required) or from the ingest
      for (const [name, sql] of table!) {
        if (!sql.notNull || sql.hasDefault || target.ingestFills.includes(name)) continue;
        const col = spec.columns.find((c) => c.name === name);
        expect([target.table, name, col?.required ?? false]).toEqual([target.table, name, true]);
      }
    }
  });

  it('gives every type a signature, and no two types share a signature key', () => {
    const seen = new Map<string, ReportType>();
    for (const type of REPORT_TYPES) {
      expect(CATALOG[type].signature.length).toBeGreaterThanOrEqual(4);
      for (const k of CATALOG[type].signature) {
        expect([k, seen.get(k)]).toEqual([k, undefined]);
        seen.set(k, type);
      }
    }
  });

  it("lists Amazon's own header first and accepts its spelling variants", () => {
    const aliases = (t: ReportType, name: string) =>
      CATALOG[t].columns.find((c) => c.name === name)!.aliases.map(columnKey);
    expect(aliases('fee_preview', 'expected_fulfillment_fee_per_unit')).toEqual([
      'expectedfulfillmentfeeperunit',
      'expecteddomesticfulfilmentfeeperunit',
      'expecteddomesticfulfillmentfeeperunit',
    ]);
    expect(aliases('fee_preview', 'estimated_pick_pack_fee_per_unit')).toEqual([
      'estimatedpickpackfeeperunit',
    ]);
    expect(aliases('listings', 'asin')[0]).toBe('asin1');
    expect(aliases('ads_sp', 'cost')).toEqual(['cost', 'spend']);
    expect(aliases('ads_sp', 'purchases')).toEqual(
      expect.arrayContaining(['purchases7d', 'orders', '7daytotalorders']),
    );
    expect(aliases('ads_sp', 'sales')).toEqual(
      expect.arrayContaining(['sales7d', 'sales', '7daytotalsales']),
    );
    expect(aliases('inventory_ledger', 'msku')).toEqual(['msku']);
    expect(CATALOG.settlement.summary?.columns).toEqual([
      'settlement_id',
      'settlement_start_date',
      'settlement_end_date',
      'deposit_date',
      'total_amount',
      'currency',
    ]);
  });
});
