/**
 * Remembers the SKUs seen in a file in 8 bytes each: a 64-bit fingerprint (two 32-bit string
 * hashes) in an open-addressed table. A JS Set of a million SKU strings costs ~80 MB; this ~16 MB.
 * A fingerprint match is "probably a duplicate" (a false match needs a 64-bit collision): the
 * importer then runs the exact SQL dedupe, so a false match costs time, never correctness.
 */
export class SkuSet {
  private slots = new Uint32Array(2 * 65536);
  private mask = 65535;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `sku`; true when it (probably) was there already. */
  add(sku: string): boolean {
    let h1 = 0x811c9dc5;
    let h2 = 5381;
    for (let i = 0; i < sku.length; i++) {
      const c = sku.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = (Math.imul(h2, 33) + c) | 0;
    }
    h1 = (h1 | 1) >>> 0; // never 0 (0 marks an empty slot); >>> keeps it unsigned like the table
    h2 >>>= 0;
    for (let i = h1 & this.mask; ; i = (i + 1) & this.mask) {
      const a = this.slots[2 * i]!;
      if (a === 0) {
        this.slots[2 * i] = h1;
        this.slots[2 * i + 1] = h2;
        this.count += 1;
        if (this.count * 2 > this.mask) this.grow();
        return false;
      }
      if (a === h1 && this.slots[2 * i + 1] === h2) return true;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.mask = this.mask * 2 + 1;
    this.slots = new Uint32Array(2 * (this.mask + 1));
    for (let j = 0; j < old.length; j += 2) {
      const h1 = old[j]!;
      if (h1 === 0) continue;
      let i = h1 & this.mask;
      while (this.slots[2 * i] !== 0) i = (i + 1) & this.mask;
      this.slots[2 * i] = h1;
      this.slots[2 * i + 1] = old[j + 1]!;
    }
  }
}
