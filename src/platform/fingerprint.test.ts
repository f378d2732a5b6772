import { describe, expect, it } from 'vitest';
import { FingerprintBuilder, FingerprintSet, fingerprint, fingerprintText } from './fingerprint.ts';

const fp = (s: string) => fingerprint(s);

describe('FingerprintSet', () => {
  it('tells new strings from repeated ones, across growth', () => {
    const s = new FingerprintSet();
    let repeats = 0;
    for (let i = 0; i < 300_000; i++) if (s.add(fp(`A-${i}`))) repeats += 1;
    expect(repeats).toBe(0);
    expect(s.size).toBe(300_000);
    for (const i of [0, 1, 65_535, 65_536, 299_999]) {
      expect(s.has(fp(`A-${i}`))).toBe(true);
      expect(s.add(fp(`A-${i}`))).toBe(true);
    }
    expect(s.has(fp('A-300000'))).toBe(false);
    expect(s.add(fp(''))).toBe(false);
    expect(s.add(fp(''))).toBe(true);
    expect(s.add(fp('Ä-ü'))).toBe(false);
    expect(s.size).toBe(300_002);
  });

  it('holds halves of every shape, 0 and 2^32 − 1 included', () => {
    const s = new FingerprintSet();
    const edge = [
      { hi: 0, lo: 0 },
      { hi: 0, lo: 1 },
      { hi: 0xffffffff, lo: 0xffffffff },
      { hi: 0x80000000, lo: 0 },
    ];
    for (const f of edge) expect(s.add(f)).toBe(false);
    for (const f of edge) expect(s.has(f)).toBe(true);
    expect(s.has({ hi: 2, lo: 0 })).toBe(false);
  });
});

describe('fingerprint', () => {
  it('differs for strings that differ in one character, order or length', () => {
    const seen = new FingerprintSet();
    const base = 'SKU-1\t\\N\t4006381333931\tTitle\t12.3400\tEUR\t1\t0\t\\N';
    const variants = [base, `${base} `, base.replace('12.3400', '12.3401'), base.replace('EUR', 'USD')];
    variants.push(base.replace('SKU-1', 'SKU-2'), base.split('\t').reverse().join('\t'));
    for (const v of variants) expect(seen.add(fp(v))).toBe(false);
  });

  it('gives a million distinct rows a million distinct fingerprints', () => {
    const seen = new FingerprintSet();
    let clashes = 0;
    for (let i = 0; i < 1_000_000; i++) if (seen.add(fp(`SKU${i}\t${(i % 997) / 10}\tEUR`))) clashes += 1;
    expect(clashes).toBe(0);
  });

  it('writes the bigint Postgres stores: the halves, signed', () => {
    for (const s of ['', 'a', 'SKU-42\t9.9900\tEUR', 'ü'.repeat(50)]) {
      const f = fingerprint(s);
      const v = BigInt(fingerprintText(f));
      expect(v >= -(2n ** 63n) && v < 2n ** 63n).toBe(true);
      // what the importer reads back (row_fp >> 32, row_fp & 4294967295)
      expect(Number(BigInt.asUintN(32, v >> 32n))).toBe(f.hi);
      expect(Number(v & 0xffffffffn)).toBe(f.lo);
    }
    expect(fingerprintText({ hi: 0xffffffff, lo: 0xffffffff })).toBe('-1');
    expect(fingerprintText({ hi: 0, lo: 7 })).toBe('7');
  });
});

describe('FingerprintBuilder', () => {
  it('fingerprints pieces as their concatenation, whatever the split', () => {
    const text = 'SKU-1\t4006381333931\tKaffeemaschine Deluxe\t12.3400\tEUR';
    const whole = fingerprint(text);
    const b = new FingerprintBuilder();
    for (const cut of [0, 1, 2, 5, 6, 7, text.length - 1, text.length]) {
      const f = b.reset().add(text.slice(0, cut)).add('').add(text.slice(cut)).finish();
      expect(f, `cut at ${cut}`).toEqual(whole);
    }
    const odd = b.reset().add('a').add('b').add('c').finish();
    expect(odd).toEqual(fingerprint('abc'));
    // an odd last unit is padded, and the length counts: neither reads as another string
    expect(fingerprint('abc')).not.toEqual(fingerprint(`abc${String.fromCharCode(0xffff)}`));
    expect(fingerprint('')).not.toEqual(fingerprint('\u0000'));
  });
});
