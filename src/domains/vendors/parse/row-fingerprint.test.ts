import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROW_RULES_VERSION } from './row-fingerprint.ts';

// A re-import trusts a stored raw fingerprint only while the row rules stay the same: a rule that
// turns a valid row invalid (or reads it differently) must bump ROW_RULES_VERSION, or rows checked
// under the old rules are skipped under the new. This fails on any change to a rules file, to make
// that a decision: bump the version if the change can alter a row's outcome, then record the new hash.
const ROOT = path.resolve(import.meta.dirname, '../../../..');
const RULES_FILES = [
  'src/domains/vendors/parse/row.ts',
  'src/domains/vendors/parse/values.ts',
  'src/domains/vendors/parse/barcode.ts',
  'src/platform/tabular/decimal.ts',
  'src/platform/tabular/currency.ts',
  'src/platform/tabular/header-row.ts',
  'src/platform/money.ts',
];
const RECORDED = { version: 1, sha256: '161530d8746780372856aba43a25f75ea0c0a5115d0f56ff8630137e8af71bf8' };

describe('row rules version', () => {
  it('is recorded with the rules files it covers', () => {
    const h = createHash('sha256');
    for (const f of RULES_FILES)
      h.update(f)
        .update('\0')
        .update(readFileSync(path.join(ROOT, f)));
    expect({ version: ROW_RULES_VERSION, sha256: h.digest('hex') }).toEqual(RECORDED);
  });
});
