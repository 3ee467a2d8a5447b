/**
 * One CSV cell, safe to open in a spreadsheet: quoted when it holds a comma,
 * quote or line break (RFC 4180), and — OWASP "CSV injection" — a cell that
 * starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with
 * a single quote, so Excel and WPS show it as text instead of running it as a
 * formula (`=HYPERLINK(…)`).
 * @example csvCell('=HYPERLINK("http://x")') // `"'=HYPERLINK(""http://x"")"`
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s.startsWith("'") ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows of cells as CSV text, CRLF line ends, with a header row. */
export function csvTable(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
