import { invalidField } from '../../../platform/errors.ts';
import { headerKey } from './headers.ts';
import { FIELDS, type Field } from './types.ts';

/** Forgiving spellings of field names on the command line. */
const ALIASES: Record<string, Field> = {
  lead_time: 'lead_time_days',
  leadtime: 'lead_time_days',
  pack: 'pack_size',
  packsize: 'pack_size',
  case_pack: 'pack_size',
  ean: 'barcode',
  upc: 'barcode',
  gtin: 'barcode',
  price: 'cost',
  description: 'title',
};

function toField(name: string): Field | null {
  const s = name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if ((FIELDS as readonly string[]).includes(s)) return s as Field;
  return ALIASES[s] ?? null;
}

/** An error about one spec of the `map` field: the CLI shows it as `--map "…"`, the API as `map "…"`. */
const bad = (spec: string, rule: string, text: string) =>
  invalidField('map', spec, rule, `"${spec}": ${text}`);

/**
 * `--map "Col Name=cost"` (repeatable) → { 'Col Name': 'cost' }. The last `=` splits, so a header
 * may itself contain one. Mapping two columns to one field, or one column twice, is refused.
 */
export function parseMapOption(specs: string[]): Record<string, Field> {
  const out: Record<string, Field> = {};
  const byKey = new Map<string, string>();
  const byField = new Map<Field, string>();
  for (const spec of specs) {
    const eq = spec.lastIndexOf('=');
    const column = eq === -1 ? '' : spec.slice(0, eq).trim();
    const fieldName = eq === -1 ? '' : spec.slice(eq + 1).trim();
    if (eq === -1 || column === '' || fieldName === '') {
      throw bad(spec, 'column_eq_field', 'expected "Column name=field"');
    }
    const field = toField(fieldName);
    if (!field) {
      throw bad(spec, 'known_field', `unknown field "${fieldName}"; fields are ${FIELDS.join(', ')}`);
    }
    const key = headerKey(column);
    if (key === '') throw bad(spec, 'column_name', 'the column name has no letters or digits');
    const prevColumn = byKey.get(key);
    if (prevColumn !== undefined && out[prevColumn] !== field) {
      throw bad(spec, 'one_field_per_column', `column "${column}" is already mapped to ${out[prevColumn]}`);
    }
    const prevField = byField.get(field);
    if (prevField !== undefined && headerKey(prevField) !== key) {
      throw bad(spec, 'one_column_per_field', `${field} is already mapped to column "${prevField}"`);
    }
    byKey.set(key, column);
    byField.set(field, column);
    out[column] = field;
  }
  return out;
}
