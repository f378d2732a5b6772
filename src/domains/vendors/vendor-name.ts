import { AppError } from '../../platform/errors.ts';

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u;

/**
 * Vendor names arrive from CLI arguments, upload forms and spreadsheets: normalise them so "ACME"
 * typed on a Mac and on Windows is one vendor, and refuse invisible characters (zero-width spaces,
 * bidi overrides, control codes) that would make two vendors look identical in every list.
 */
export function normaliseVendorName(raw: string): string {
  const name = raw.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (name.length === 0) throw new AppError('invalid', 'vendor name is empty');
  if (name.length > 200) {
    throw new AppError('invalid', `vendor name is longer than 200 characters: "${name.slice(0, 40)}…"`);
  }
  const bad = INVISIBLE.exec(name);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    const shown = name.replace(new RegExp(INVISIBLE.source, 'gu'), '?');
    throw new AppError(
      'invalid',
      `vendor name "${shown}" contains an invisible or control character (U+${code})`,
    );
  }
  return name;
}
