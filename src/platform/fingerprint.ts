/**
 * 64-bit fingerprints of strings, and a set of them. A loader uses them where holding the strings
 * would cost too much memory: the SKUs seen in a million-row file (16 MB instead of ~80 MB of JS
 * strings), or the rows a vendor's last price list wrote (so unchanged rows of a re-import never
 * reach the database).
 *
 * The hash is MurmurHash3's 32-bit block mix, run with two sets of constants over the UTF-16 code
 * units two at a time; the two halves together make a 64-bit value. A false match needs a 64-bit collision: among a
 * million stored rows, about one chance in 10^13 per looked-up row.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
// the second half mixes each block with other constants (those of MurmurHash3's 128-bit variant),
// so the halves are two hashes, not one hash from two seeds
const C3 = 0x239b961b;
const C4 = 0xab0e9789;

/** MurmurHash3's finaliser: every input bit reaches every output bit (the demo seeds from it too). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A string's fingerprint as two unsigned 32-bit halves. */
export interface Fingerprint {
  hi: number;
  lo: number;
}

/**
 * Fingerprints the concatenation of several strings without building it: a loader hashes a row's
 * fields as they are, and builds the row's text only for rows it keeps. Two UTF-16 units make one
 * 32-bit block (MurmurHash3's block size).
 */
export class FingerprintBuilder {
  private h1 = 0;
  private h2 = 0;
  private pending = -1; // a unit waiting for its pair
  private units = 0;

  reset(): this {
    this.h1 = 0x9747b28c;
    this.h2 = 0x5bd1e995;
    this.pending = -1;
    this.units = 0;
    return this;
  }

  private block(k: number): void {
    let a = Math.imul(k, C1);
    a = (a << 15) | (a >>> 17);
    let h = this.h1 ^ Math.imul(a, C2);
    h = (h << 13) | (h >>> 19);
    this.h1 = (Math.imul(h, 5) + 0xe6546b64) | 0;
    let b = Math.imul(k, C3);
    b = (b << 17) | (b >>> 15);
    let g = this.h2 ^ Math.imul(b, C4);
    g = (g << 15) | (g >>> 17);
    this.h2 = (Math.imul(g, 5) + 0x38495ab5) | 0;
  }

  /** Adds s, or its part [start, end): the same as adding s.slice(start, end), without the slice. */
  add(s: string, start = 0, end = s.length): this {
    let i = start;
    if (this.pending >= 0 && end > start) {
      this.block(this.pending | (s.charCodeAt(i) << 16));
      this.pending = -1;
      i += 1;
    }
    for (; i + 1 < end; i += 2) this.block(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
    if (i < end) this.pending = s.charCodeAt(i);
    this.units += end - start;
    return this;
  }

  /**
   * A 32-bit integer as one block of its own (an odd unit left by `add` is padded first): a number
   * without its decimal text, or a length that keeps the strings around it apart.
   */
  int(n: number): this {
    if (this.pending >= 0) {
      this.block(this.pending | 0xffff0000);
      this.pending = -1;
    }
    this.block(n | 0);
    this.units += 2;
    return this;
  }

  finish(out: Fingerprint = { hi: 0, lo: 0 }): Fingerprint {
    if (this.pending >= 0) this.block(this.pending | (0x10000 * 0xffff)); // an odd last unit, padded
    out.hi = fmix32(this.h1 ^ this.units);
    out.lo = fmix32(this.h2 ^ this.units);
    return out;
  }
}

const shared = new FingerprintBuilder();

export function fingerprint(s: string, out: Fingerprint = { hi: 0, lo: 0 }): Fingerprint {
  return shared.reset().add(s).finish(out);
}

/** The fingerprint as a signed 64-bit integer in decimal, as Postgres' bigint reads it. */
export function fingerprintText(f: Fingerprint): string {
  return BigInt.asIntN(64, (BigInt(f.hi) << 32n) | BigInt(f.lo)).toString();
}

/** A FingerprintSet's table as plain data, to hand to a worker thread (its buffer can be transferred). */
export interface FingerprintSlots {
  slots: Uint32Array;
  mask: number;
  count: number;
}

/** An open-addressed set of fingerprints, 8 bytes a slot, kept at most half full. */
export class FingerprintSet {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  /** `expected`: how many fingerprints will be added, so that the table never has to grow. */
  constructor(expected = 0) {
    let n = 65536;
    while (n < 2 * expected + 2) n *= 2;
    this.slots = new Uint32Array(2 * n);
    this.mask = n - 1;
  }

  /** A set over a table another set gave out (`slots()`), without copying it. */
  static of(t: FingerprintSlots): FingerprintSet {
    const s = new FingerprintSet();
    s.slots = t.slots;
    s.mask = t.mask;
    s.count = t.count;
    return s;
  }

  /** The table as is: after transferring its buffer to a worker, this set must not be used again. */
  table(): FingerprintSlots {
    return { slots: this.slots, mask: this.mask, count: this.count };
  }

  get size(): number {
    return this.count;
  }

  /** Adds the fingerprint; true when it was there already. */
  add(f: Fingerprint): boolean {
    // 0 marks an empty slot, so the low bit of the high half is always set: the set compares 63 bits
    const hi = (f.hi | 1) >>> 0;
    for (let i = hi & this.mask; ; i = (i + 1) & this.mask) {
      const a = this.slots[2 * i]!;
      if (a === 0) {
        this.slots[2 * i] = hi;
        this.slots[2 * i + 1] = f.lo;
        this.count += 1;
        if (this.count * 2 > this.mask) this.grow();
        return false;
      }
      if (a === hi && this.slots[2 * i + 1] === f.lo) return true;
    }
  }

  has(f: Fingerprint): boolean {
    const hi = (f.hi | 1) >>> 0;
    for (let i = hi & this.mask; ; i = (i + 1) & this.mask) {
      const a = this.slots[2 * i]!;
      if (a === 0) return false;
      if (a === hi && this.slots[2 * i + 1] === f.lo) return true;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.mask = this.mask * 2 + 1;
    this.slots = new Uint32Array(2 * (this.mask + 1));
    for (let j = 0; j < old.length; j += 2) {
      const hi = old[j]!;
      if (hi === 0) continue;
      let i = hi & this.mask;
      while (this.slots[2 * i] !== 0) i = (i + 1) & this.mask;
      this.slots[2 * i] = hi;
      this.slots[2 * i + 1] = old[j + 1]!;
    }
  }
}
