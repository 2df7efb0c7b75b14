/**
 * The ONE rule every CSV/XLSX export applies to a text cell (contacts export, campaign report,
 * audit export, the import's rejected rows): spreadsheet apps evaluate a cell that starts with
 * `=`, `+`, `-` or `@` (and some strip a leading tab or CR first), so such a cell is prefixed with
 * a single quote `'` — shown as text, never run ("CSV injection", OWASP).
 *
 * Exception, decided for usability (docs/security.md): a value that is only a number — a phone
 * number in E.164 like `+972501234567`, or `-12.5` — is left as it is. Such a cell can at most be
 * read as a number (no function, no reference, no DDE), and the export stays importable as it
 * was written (Pacer's own import, a CRM). Anything else after the sign (`+1+cmd|…`, `-2+3`,
 * `=HYPERLINK(…)`, `@SUM(…)`) gets the quote.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}
