import ExcelJS from 'exceljs';
import { gs1Check, rng } from './import-gen.ts';

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
