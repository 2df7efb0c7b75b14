/**
 * CSV written in the browser (the rejected-rows download). Cells go through the one shared
 * formula-injection rule (shared/spreadsheet-cell.ts).
 */
import { neutraliseCell } from '../../../../shared/spreadsheet-cell';

export { neutraliseCell };

function quote(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** RFC 4180 CSV with CRLF line ends and a UTF-8 BOM, so Excel opens Hebrew and Chinese text correctly. */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return '\uFEFF' + rows.map((r) => r.map((c) => quote(neutraliseCell(String(c)))).join(',')).join('\r\n') + '\r\n';
}
