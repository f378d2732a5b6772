import { NOT_A_PHRASE_MATCH, NOT_COST, PER_CASE, PER_UNIT, PRICE_WORDS, SYNONYMS } from './synonyms.ts';
import { FIELDS, type Field, IDENTIFIERS } from './types.ts';

/** Header words: lower case, accents and punctuation gone (`Art.-Nr.` → art nr, `Währung` → wahrung). */
export function headerTokens(text: string): string[] {
  const s = text
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/#/g, ' no ');
  return s.split(/[^a-z0-9]+/).filter((t) => t !== '');
}

/** Case/space/punctuation-insensitive identity of a header, used for exact and `--map` matches. */
export function headerKey(text: string): string {
  return headerTokens(text).join('');
}

interface Synonym {
  field: Field;
  tier: number;
  tokens: string[];
}

const EXACT = new Map<string, Synonym[]>();
const PHRASES: Synonym[] = [];
for (const field of FIELDS) {
  for (const tier of [3, 2, 1] as const) {
    for (const word of SYNONYMS[field][tier]) {
      const syn = { field, tier, tokens: headerTokens(word) };
      const key = syn.tokens.join('');
      EXACT.set(key, [...(EXACT.get(key) ?? []), syn]);
      PHRASES.push(syn);
    }
  }
}

function containsPhrase(tokens: string[], phrase: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** German compounds (`Nettopreis`, `Händlerpreis`) name a price without a separate "Preis" word. */
function isCompoundPrice(token: string): boolean {
  return (
    token.length > 5 && token.endsWith('preis') && !token.startsWith('verkauf') && !token.startsWith('vk')
  );
}

/**
 * How well one header names each field: exact match 300, contained phrase 200, German compound 100,
 * plus 10 × tier and the phrase length, so "Unit cost" outranks "Price" and "EAN code" outranks "Code".
 */
export function scoreHeader(text: string): Map<Field, number> {
  const tokens = headerTokens(text);
  const scores = new Map<Field, number>();
  if (tokens.length === 0) return scores;
  const bump = (field: Field, score: number) => {
    if (score > (scores.get(field) ?? 0)) scores.set(field, score);
  };
  for (const syn of EXACT.get(tokens.join('')) ?? [])
    bump(syn.field, 300 + syn.tier * 10 + syn.tokens.length);
  const phraseOk = !tokens.some((t) => NOT_A_PHRASE_MATCH.has(t));
  const hasPrice = tokens.some((t) => PRICE_WORDS.has(t) || isCompoundPrice(t));
  if (phraseOk) {
    for (const syn of PHRASES) {
      if (hasPrice && syn.field !== 'cost' && syn.field !== 'currency') continue;
      if (containsPhrase(tokens, syn.tokens)) bump(syn.field, 200 + syn.tier * 10 + syn.tokens.length);
    }
    if (tokens.some(isCompoundPrice)) bump('cost', 110);
  }
  if (tokens.some((t) => NOT_COST.has(t) || t.startsWith('verkauf') || t.startsWith('vk'))) {
    scores.delete('cost');
  }
  return scores;
}

/** Whether a cost header says the price is for a whole case ("Case price", "Preis/Karton"). */
export function isPerCaseHeader(text: string): boolean {
  const tokens = headerTokens(text);
  if (tokens.some((t) => PER_UNIT.has(t))) return false;
  return tokens.some((t) => PER_CASE.has(t) || t.startsWith('karton') || t.startsWith('carton'));
}

export interface HeaderMapping {
  /** field → column index */
  columns: Partial<Record<Field, number>>;
  /** Required fields this row lacks: 'identifier (sku, asin or barcode)' and/or 'cost'. */
  missing: string[];
  /** `--map` keys that name no cell of this row. */
  unmatchedMapKeys: string[];
}

/**
 * Maps one candidate header row. `--map` entries are applied first and win; then every remaining
 * (column, field) pair is taken best-score-first, so no column gets two fields and no field two
 * columns.
 */
export function mapHeader(cells: string[], map?: Record<string, Field>): HeaderMapping {
  const columns: Partial<Record<Field, number>> = {};
  const taken = new Set<number>();
  const keys = cells.map(headerKey);
  const unmatchedMapKeys: string[] = [];
  for (const [name, field] of Object.entries(map ?? {})) {
    const idx = keys.indexOf(headerKey(name));
    if (idx === -1 || headerKey(name) === '') unmatchedMapKeys.push(name);
    else {
      columns[field] = idx;
      taken.add(idx);
    }
  }
  const candidates: { col: number; field: Field; score: number }[] = [];
  cells.forEach((cell, col) => {
    if (taken.has(col)) return;
    for (const [field, score] of scoreHeader(cell)) candidates.push({ col, field, score });
  });
  candidates.sort((a, b) => b.score - a.score || a.col - b.col);
  for (const c of candidates) {
    if (columns[c.field] !== undefined || taken.has(c.col)) continue;
    columns[c.field] = c.col;
    taken.add(c.col);
  }
  const missing: string[] = [];
  if (!IDENTIFIERS.some((f) => columns[f] !== undefined)) missing.push('identifier (sku, asin or barcode)');
  if (columns.cost === undefined) missing.push('cost');
  return { columns, missing, unmatchedMapKeys };
}
