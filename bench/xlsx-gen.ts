import ExcelJS from 'exceljs';

/**
 * A synthetic German vendor price list as XLSX, written with exceljs's streaming writer (rows are
 * committed as they are added, so memory stays flat whatever the row count): a title row and a
 * validity note above the German header, SKUs and titles as text, EANs and prices as numbers (as
 * vendors' spreadsheets usually hold them).
 */

export const XLSX_HEADER = ['Artikelnummer', 'EAN', 'Bezeichnung', 'Einkaufspreis', 'VPE', 'Mindestmenge'];

const NOUNS = ['Küchenmesser', 'Gießkanne', 'Bürste', 'Wärmflasche', 'Fußmatte', 'Türstopper', 'Kühlbox'];
const ADJECTIVES = ['groß', 'klein', 'schwarz', 'weiß', 'rostfrei', 'wasserdicht', 'für Kinder', 'mit Griff'];
const BRANDS = ['Müller', 'Schäfer', 'Köhler', 'Bäcker & Söhne', 'Löwe', 'Hübner', 'Jäger'];

/** GS1 check digit of the digits before it (weights 3,1,3,… from the right). */
function gs1Check(body: string): number {
  let sum = 0;
  for (let i = body.length - 1, w = 3; i >= 0; i--, w = 4 - w) sum += (body.charCodeAt(i) - 48) * w;
  return (10 - (sum % 10)) % 10;
}

/** mulberry32: the same file on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function generateXlsx(file: string, rows: number): Promise<{ rows: number }> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: false,
    useStyles: true,
  });
  const ws = wb.addWorksheet('Preisliste');
  ws.addRow(['Preisliste Großhandel Müller & Söhne GmbH']).commit();
  ws.addRow(['Gültig ab 01.03.2025 – alle Preise netto in EUR zzgl. MwSt.']).commit();
  ws.addRow([]).commit();
  const header = ws.addRow(XLSX_HEADER);
  header.font = { bold: true };
  header.commit();
  const rand = rng(20250301);
  for (let i = 0; i < rows; i++) {
    const body = `400${String(i * 7 + 2_000_003).padStart(9, '0')}`;
    const noun = NOUNS[Math.floor(rand() * NOUNS.length)]!;
    const adj = ADJECTIVES[Math.floor(rand() * ADJECTIVES.length)]!;
    const brand = BRANDS[Math.floor(rand() * BRANDS.length)]!;
    const r = rand();
    const cents =
      r < 0.7
        ? 50 + Math.floor(rand() * 9950)
        : r < 0.95
          ? 10_000 + Math.floor(rand() * 90_000)
          : 100_000 + Math.floor(rand() * 900_000);
    ws.addRow([
      `X-${String(i).padStart(7, '0')}`,
      Number(`${body}${gs1Check(body)}`),
      `${brand} ${noun} ${adj} ${10 + (i % 90)} cm`,
      cents / 100,
      1 + Math.floor(rand() * 12),
      Math.floor(rand() * 51),
    ]).commit();
  }
  ws.commit();
  await wb.commit();
  return { rows };
}
