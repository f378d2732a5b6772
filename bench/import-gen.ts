import { once } from 'node:events';
import { createWriteStream, statSync, type WriteStream } from 'node:fs';

/**
 * Synthetic German vendor price lists for the import bench, streamed to disk in ~1 MB writes: the
 * vendor CSV as a wholesaler exports it (UTF-8 with BOM, CRLF, `;`, title lines above the header,
 * `3.396,63` costs) and the same rows already normalised as a COPY text file (the floor's input).
 * A second pair is identical except that 1 % of the rows have a changed cost.
 */

export const CSV_HEADER = 'Artikelnummer;EAN;Bezeichnung;Einkaufspreis;VPE;Mindestmenge';

const NOUNS = [
  'Küchenmesser',
  'Gießkanne',
  'Bürste',
  'Wärmflasche',
  'Fußmatte',
  'Schraubendreher',
  'Türstopper',
  'Handtuchhalter',
  'Kühlbox',
  'Spülschwamm',
  'Schlüsselbrett',
  'Glühbirne',
  'Müllbeutel',
  'Kaffeemühle',
  'Größenmaß',
  'Bügelbrett',
];
const ADJECTIVES = [
  'groß',
  'klein',
  'schwarz',
  'weiß',
  'grün',
  'blau',
  'rostfrei',
  'wasserdicht',
  'für Kinder',
  'mit Griff',
  'ökologisch',
  'extra stark',
];
const BRANDS = ['Müller', 'Schäfer', 'Köhler', 'Bäcker & Söhne', 'Löwe', 'Weiß GmbH', 'Hübner', 'Jäger'];

/** GS1 check digit of the digits before the last one (weights 3,1,3,… from the right). */
export function gs1Check(body: string): number {
  let sum = 0;
  for (let i = body.length - 1, w = 3; i >= 0; i--, w = 4 - w) sum += (body.charCodeAt(i) - 48) * w;
  return (10 - (sum % 10)) % 10;
}

/** Small deterministic PRNG (mulberry32): the same files on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cents → German display (`339663` → `3.396,63`). */
export function germanCost(cents: number): string {
  const euros = Math.floor(cents / 100);
  const rest = String(cents % 100).padStart(2, '0');
  return `${String(euros).replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${rest}`;
}

/** Cents → plain decimal (`339663` → `3396.63`). */
export function plainCost(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** Row i gets a new cost in the second file: exactly 1 % of rows when `rows` is a multiple of 100. */
export function isChanged(i: number): boolean {
  return i % 100 === 37;
}

export function changedCount(rows: number): number {
  return Math.floor(rows / 100) + (rows % 100 > 37 ? 1 : 0);
}

class Sink {
  private buf = '';
  private readonly out: WriteStream;
  private readonly closed: Promise<unknown>;

  constructor(readonly file: string) {
    // flush: fsync before close, so the files' writeback doesn't compete with the timed imports
    this.out = createWriteStream(file, { flush: true });
    this.closed = once(this.out, 'close');
  }

  async add(s: string): Promise<void> {
    this.buf += s;
    if (this.buf.length >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.buf;
    this.buf = '';
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async end(): Promise<void> {
    await this.flush();
    this.out.end();
    await this.closed;
  }
}

export interface GeneratedFiles {
  csv: string;
  copy: string;
  csvChanged: string;
  copyChanged: string;
  rows: number;
  changed: number;
}

export function sizeMb(file: string): number {
  return Math.round((statSync(file).size / 2 ** 20) * 10) / 10;
}

/** Writes the four files in one pass over the rows. */
export async function generateFiles(files: Omit<GeneratedFiles, 'changed'>): Promise<GeneratedFiles> {
  const csv = new Sink(files.csv);
  const copy = new Sink(files.copy);
  const csv2 = new Sink(files.csvChanged);
  const copy2 = new Sink(files.copyChanged);
  const title =
    '\ufeffPreisliste Großhandel Müller & Söhne GmbH;;;;;\r\n' +
    'Gültig ab 01.03.2025 – alle Preise netto in EUR zzgl. MwSt.;;;;;\r\n' +
    ';;;;;\r\n' +
    `${CSV_HEADER}\r\n`;
  await csv.add(title);
  await csv2.add(title);
  const rand = rng(20250301);
  let changed = 0;
  for (let i = 0; i < files.rows; i++) {
    const sku = `A-${String(i).padStart(7, '0')}`;
    const body = `400${String(i * 7 + 1_000_003).padStart(9, '0')}`;
    const ean = `${body}${gs1Check(body)}`;
    const noun = NOUNS[Math.floor(rand() * NOUNS.length)]!;
    const adj = ADJECTIVES[Math.floor(rand() * ADJECTIVES.length)]!;
    const brand = BRANDS[Math.floor(rand() * BRANDS.length)]!;
    const t = `${brand} ${noun} ${adj} ${10 + (i % 90)} cm`;
    const r = rand();
    const cents =
      r < 0.7
        ? 50 + Math.floor(rand() * 9950)
        : r < 0.95
          ? 10_000 + Math.floor(rand() * 90_000)
          : 100_000 + Math.floor(rand() * 900_000);
    const pack = 1 + Math.floor(rand() * 12);
    const moq = Math.floor(rand() * 51);
    const line = (c: number) => `${sku};${ean};${t};${germanCost(c)};${pack};${moq}\r\n`;
    const norm = (c: number) => `${sku}\t\\N\t${ean}\t${t}\t${plainCost(c)}\tEUR\t${pack}\t${moq}\t\\N\n`;
    await csv.add(line(cents));
    await copy.add(norm(cents));
    let c2 = cents;
    if (isChanged(i)) {
      c2 = cents + Math.max(1, Math.round(cents * 0.05));
      changed += 1;
    }
    await csv2.add(line(c2));
    await copy2.add(norm(c2));
  }
  await Promise.all([csv.end(), copy.end(), csv2.end(), copy2.end()]);
  return { ...files, changed };
}
