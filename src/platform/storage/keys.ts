import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';

/** S3's own limit; the local driver keeps it too so a key valid on one driver is valid on both. */
export const MAX_KEY_BYTES = 1024;
const MAX_FILE_NAME = 200;
// An extension longer than this is more likely part of the name than a real extension.
const MAX_EXT = 20;

function hasControlChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x1f || c === 0x7f) return true;
  }
  return false;
}

// A lone surrogate cannot be encoded as UTF-8, so S3 and the filesystem would each mangle it differently.
const LONE_SURROGATE = /\p{Surrogate}/u;

function fail(what: string, value: string, reason: string): never {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  throw new AppError('invalid', `invalid object ${what} ${JSON.stringify(shown)}: ${reason}`);
}

/** Rules shared by keys and prefixes; returns the '/'-separated segments. */
function checkCommon(what: string, value: string): string[] {
  if (Buffer.byteLength(value, 'utf8') > MAX_KEY_BYTES)
    fail(what, value, `longer than ${MAX_KEY_BYTES} bytes`);
  if (value.startsWith('/')) fail(what, value, 'must not start with /');
  if (value.includes('\\')) fail(what, value, 'must not contain a backslash');
  if (hasControlChar(value)) fail(what, value, 'must not contain control characters');
  if (LONE_SURROGATE.test(value)) fail(what, value, 'is not valid unicode');
  return value.split('/');
}

function checkSegment(what: string, value: string, segment: string): void {
  if (segment === '') fail(what, value, 'must not contain empty path segments');
  if (segment === '.' || segment === '..') fail(what, value, `must not contain a '${segment}' segment`);
}

/**
 * Rejects anything that could escape the store root on the local driver or mean different objects on
 * different drivers. Returns the key unchanged so callers can validate inline.
 */
export function validateKey(key: string): string {
  if (typeof key !== 'string' || key === '') fail('key', String(key), 'must not be empty');
  for (const segment of checkCommon('key', key)) checkSegment('key', key, segment);
  return key;
}

/**
 * A list prefix is a plain string prefix (as in S3), so its last segment may be partial or empty
 * ('exports/' or 'exports/2024-'); every complete segment before it must be a valid key segment.
 */
export function validatePrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const segments = checkCommon('prefix', prefix);
  for (const segment of segments.slice(0, -1)) checkSegment('prefix', prefix, segment);
  return prefix;
}

/**
 * Turns a user-supplied upload name into one safe as a single key segment and as a download name:
 * ASCII letters, digits, '.', '_' and '-' only, never hidden, never empty.
 */
export function sanitiseFileName(name: string): string {
  const base =
    String(name)
      .split(/[/\\]/)
      .filter((s) => s !== '')
      .pop() ?? '';
  let s = '';
  for (const ch of base) if (!hasControlChar(ch)) s += ch;
  s = s
    // Decompose so 'résumé' keeps its letters ('resume') instead of turning into 'r_sum_'.
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9._-]/gu, '_')
    .replace(/_+/g, '_')
    .replace(/\.+/g, '.')
    .replace(/^\.+/, '')
    // Trailing dots are silently dropped by Windows, which would change the name on download.
    .replace(/\.+$/, '');
  if (s === '') return 'file';
  if (s.length <= MAX_FILE_NAME) return s;
  const dot = s.lastIndexOf('.');
  const ext = dot > 0 && s.length - dot <= MAX_EXT ? s.slice(dot) : '';
  return s.slice(0, MAX_FILE_NAME - ext.length).replace(/\.+$/, '') + ext;
}

/**
 * Where an uploaded file is kept: `<area>/YYYY-MM/<id>-<sanitised name>`. API replicas share the
 * storage and nothing else, so no replica can check whether a name is taken before another stores
 * it (and a conditional put is not offered by every S3 server): the id makes every key new without
 * asking anyone. It is the upload time to the millisecond (a month's uploads list in order) and 64
 * random bits (two uploads in the same millisecond, on one replica or several).
 */
export function uploadKey(area: string, fileName: string, now: Date): string {
  const iso = now.toISOString();
  const stamp = iso.replace(/[-:.]/g, '');
  const id = `${stamp}-${randomBytes(8).toString('hex')}`;
  return validateKey(`${area}/${iso.slice(0, 7)}/${id}-${sanitiseFileName(fileName)}`);
}
