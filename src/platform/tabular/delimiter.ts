export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

const SNIFF_LINES = 20;

/**
 * Per non-empty line (up to 20, quote-aware so `"a;b"` counts as one field), how many fields each
 * candidate delimiter would give.
 */
function fieldCounts(text: string): number[][] {
  const counts: number[][] = [];
  let current = DELIMITERS.map(() => 1);
  let inQuotes = false;
  let nonEmpty = false;
  for (let i = 0; i < text.length && counts.length < SNIFF_LINES; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      inQuotes = !inQuotes;
      nonEmpty = true;
    } else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (nonEmpty) counts.push(current);
      current = DELIMITERS.map(() => 1);
      nonEmpty = false;
    } else if (!inQuotes) {
      const d = DELIMITERS.indexOf(ch as Delimiter);
      if (d !== -1) current[d]!++;
      if (ch !== ' ' && ch !== '\t') nonEmpty = true;
    }
  }
  if (nonEmpty && counts.length < SNIFF_LINES) counts.push(current);
  return counts;
}

/**
 * Picks the delimiter giving the most consistent column count above 1 across the first lines: a
 * German file has as many `;` per line but a varying number of decimal commas. Ties go to the larger
 * column count, then to the `preferred` one (the extension's: tab for .tsv), then list order.
 */
export function sniffDelimiter(text: string, preferred?: Delimiter): Delimiter {
  const lines = fieldCounts(text);
  let best: { d: Delimiter; agree: number; width: number; pref: number } | null = null;
  DELIMITERS.forEach((d, k) => {
    const freq = new Map<number, number>();
    for (const line of lines) {
      const n = line[k]!;
      if (n > 1) freq.set(n, (freq.get(n) ?? 0) + 1);
    }
    for (const [width, agree] of freq) {
      const cand = { d, agree, width, pref: d === preferred ? 1 : 0 };
      if (
        !best ||
        cand.agree > best.agree ||
        (cand.agree === best.agree && cand.width > best.width) ||
        (cand.agree === best.agree && cand.width === best.width && cand.pref > best.pref)
      ) {
        best = cand;
      }
    }
  });
  return (best as { d: Delimiter } | null)?.d ?? preferred ?? ',';
}
