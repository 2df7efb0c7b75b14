/**
 * The English rendering of consent evidence (shared/contract/consent-evidence.ts), kept next to
 * the structured value in consent_events.evidence for the CLI, CSV exports and anyone reading the
 * database. Screens never show it: they translate the structured value. Times here are ISO (UTC),
 * as audit text always was.
 */
import type { ConsentEvidence, ConsentEvidenceParams } from '../../../shared/contract/consent-evidence';

const iso = (ms: unknown): string => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms ?? ''));
const s = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

function base(code: ConsentEvidence['code'], p: ConsentEvidenceParams): string {
  switch (code) {
    case 'import_file':
      return `${p.note ? `${s(p.note)} — ` : ''}file ${s(p.file)}, imported ${iso(p.at)} by ${s(p.by)}`;
    case 'import_column':
      return `consent column "${s(p.column)}" of file ${s(p.file)}, imported ${iso(p.at)} by ${s(p.by)}`;
    case 'manual':
    case 'manual_bulk':
      return [p.note, p.reference]
        .filter((x) => x !== undefined && x !== '')
        .map(s)
        .join(' — ');
    case 'stop_keyword':
      return `reply "${s(p.keyword)}" (message ${s(p.message)})`;
    case 'button':
      return `button "${s(p.label)}" payload "${s(p.payload)}" (message ${s(p.message)}${p.replyTo ? `, replying to ${s(p.replyTo)}` : ''})`;
    case 'meta_preference':
      return `WhatsApp marketing preference "${s(p.value)}"${p.detail ? `: ${s(p.detail)}` : ''}`;
    case 'send_refused':
      return `send answered ${s(p.error)}: ${s(p.detail)}`;
    case 'status_failed':
      return `status failed ${s(p.error)} for ${s(p.message)}`;
    case 'test_send_attested':
      return 'test send';
    case 'test_send_refused':
      return `test send answered ${s(p.error)}: ${s(p.detail)}`;
  }
}

/** The English text of a structured evidence value (null when it says nothing). */
export function evidenceText(ev: ConsentEvidence | null): string | null {
  if (!ev) return null;
  let text = base(ev.code, ev.params);
  // A webhook's evidence names when the person acted and the event it came in (for audits).
  if (ev.params.ref !== undefined) text += ` — ${iso(ev.params.at)} [${s(ev.params.ref)}]`;
  if (ev.reason) text = `${text ? `${text} — ` : ''}re-opt-in reason: ${ev.reason}`;
  if (ev.mergedFrom !== undefined) text = `${text ? `${text} — ` : ''}merged from contact #${ev.mergedFrom} (known by WhatsApp user id)`;
  if (ev.olderThan !== undefined) {
    const note = `not applied: older than the current state (${iso(ev.olderThan)})`;
    text = text ? `${text} — ${note}` : note;
  }
  return text.trim() || null;
}

/** A manual change's evidence: what the marketer typed, or nothing. */
export function manualEvidence(note: string | null | undefined, code: 'manual' | 'manual_bulk' = 'manual'): ConsentEvidence | null {
  const n = note?.trim();
  return n ? { code, params: { note: n } } : null;
}

/** One import evidence value, as data, its English text and its JSON (for the merge's SQL). */
export interface ImportEvidence {
  value: ConsentEvidence;
  text: string;
  data: string;
}

/** An import's evidence for one row: the row's number added. */
export const withRow = (ev: ImportEvidence, row: number): ConsentEvidence => ({ ...ev.value, params: { ...ev.value.params, row } });

/**
 * An import's two evidence values (the options box's, the consent column's), as English text and
 * JSON; the engine adds each row's number to the JSON in SQL (`$.params.row`).
 */
export function importEvidence(
  file: string,
  by: string,
  at: number,
  note: string | undefined,
  column: string | null,
): { boxEvidence: ImportEvidence; fileEvidence: ImportEvidence } {
  const box: ConsentEvidence = { code: 'import_file', params: { file, at, by, ...(note?.trim() ? { note: note.trim() } : {}) } };
  const col: ConsentEvidence = { code: 'import_column', params: { file, column: column ?? '', at, by } };
  return {
    boxEvidence: { value: box, text: evidenceText(box)!, data: JSON.stringify(box) },
    fileEvidence: { value: col, text: evidenceText(col)!, data: JSON.stringify(col) },
  };
}
