/**
 * Writing delimited text (exports, plans, reject reports) the way spreadsheets read it back
 * (RFC 4180): a field holding the separator, a quote or a line break is quoted, quotes doubled.
 */
export function csvField(value: unknown, sep = ','): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Rows of fields as CRLF-terminated lines. */
export function csvLines(rows: readonly (readonly unknown[])[], sep = ','): string {
  return `${rows.map((r) => r.map((v) => csvField(v, sep)).join(sep)).join('\r\n')}\r\n`;
}
