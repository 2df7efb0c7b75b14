/**
 * CSV written in the browser (the rejected-rows download). Spreadsheet apps execute cells that
 * start with = + - @ (and tab / CR, which some strip first), so such cells get a leading
 * apostrophe: the value is shown as text and never evaluated (OWASP "CSV injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function quote(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** RFC 4180 CSV with CRLF line ends and a UTF-8 BOM, so Excel opens Hebrew and Chinese text correctly. */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return '\uFEFF' + rows.map((r) => r.map((c) => quote(neutraliseCell(String(c)))).join(',')).join('\r\n') + '\r\n';
}
