import { randomBytes, randomInt } from 'node:crypto';
import { hash, parseOptions, verify } from '@node-rs/argon2';
import { AppError } from '../../platform/errors.ts';

/**
 * Argon2id (the library's default algorithm) with OWASP's Password Storage Cheat Sheet minimum:
 * m=19456 KiB (19 MiB), t=2, p=1. A verify costs ~25 ms on one core here, far under the 300 ms a
 * login may take at p99 on 2 cores; heavier settings (64 MiB) cost 64 MiB per concurrent login,
 * which a burst of logins on a small box cannot afford. Sign-in throttling does the rest.
 */
export const ARGON2_PARAMS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
// Argon2 takes any length, but hashing megabytes on request would be a cheap denial of service
export const PASSWORD_MAX_LENGTH = 256;

// no 0/O, 1/l/I: a generated password is read off a terminal and typed in by a person
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

/** False for a wrong password and for a hash that cannot be read (never throws on bad input). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** True when the hash was made with other parameters than today's: rehash it on the next login. */
export function needsRehash(passwordHash: string): boolean {
  try {
    const o = parseOptions(passwordHash);
    return (
      o.memoryCost !== ARGON2_PARAMS.memoryCost ||
      o.timeCost !== ARGON2_PARAMS.timeCost ||
      o.parallelism !== ARGON2_PARAMS.parallelism
    );
  } catch {
    return true;
  }
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random secret nobody knows, made with the same parameters: a login for an unknown
 * e-mail verifies against it, so it takes as long as one for a real user (no enumeration by timing).
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummy;
}

/** 20 characters of a 55-letter alphabet (~115 bits), in groups of five for reading aloud. */
export function generatePassword(): string {
  const chars = Array.from({ length: 20 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

/** The rules a password someone picks must meet; throws `invalid` naming the rule it breaks. */
export function checkPassword(password: string, email: string): void {
  const length = [...password].length; // characters, not UTF-16 units
  if (length < PASSWORD_MIN_LENGTH) {
    throw new AppError(
      'invalid',
      `password too short: it has ${length} characters, at least ${PASSWORD_MIN_LENGTH} are needed`,
      { field: 'password', rule: 'min_length', min: PASSWORD_MIN_LENGTH },
    );
  }
  if (length > PASSWORD_MAX_LENGTH) {
    throw new AppError('invalid', `password too long: at most ${PASSWORD_MAX_LENGTH} characters`, {
      field: 'password',
      rule: 'max_length',
      max: PASSWORD_MAX_LENGTH,
    });
  }
  const p = password.trim().toLowerCase();
  const e = email.trim().toLowerCase();
  if (p === e || p === e.split('@')[0]) {
    throw new AppError('invalid', 'password must not be the e-mail address (or its part before @)', {
      field: 'password',
      rule: 'not_email',
    });
  }
  if (new Set(password).size < 4) {
    throw new AppError('invalid', 'password must use at least 4 different characters', {
      field: 'password',
      rule: 'variety',
    });
  }
}
