import { useTranslation } from 'react-i18next';
import type { ConsentEvent } from '../../../../shared/contract/contacts';
import type { ConsentEvidence } from '../../../../shared/contract/consent-evidence';
import { isolate, useFormat } from '../format';

/**
 * What a consent event rests on, in the user's language: the core sends it as a code with
 * parameters (shared/contract/consent-evidence.ts); times are shown in the user's locale and
 * zone. Values from the data (a file or column name, a reply's text, what the marketer typed) are
 * set in isolated, as written. Rows recorded before evidence had codes only have the core's English
 * text: that is shown as written, folded under a translated label and marked as English.
 */
export function ConsentEvidenceView({ event }: { event: ConsentEvent }) {
  const { t } = useTranslation('contacts');
  const f = useFormat();
  const ev = event.evidenceData;
  if (!ev) {
    if (!event.evidence) return null;
    return (
      <details className="small evidence" data-testid="consent-evidence-legacy">
        <summary>{t('drawer.evidence')}</summary>
        <p lang="en" dir="ltr" translate="no">
          {event.evidence}
        </p>
      </details>
    );
  }
  const lines = evidenceLines(ev, event.state, (key, params) => t(key, params ?? {}), f.time);
  if (!lines.length) return null;
  return (
    <ul className="small evidence evidence-lines" data-testid="consent-evidence" data-code={ev.code}>
      {lines.map((line, i) => (
        <li key={i}>{line}</li>
      ))}
    </ul>
  );
}

type Translate = (key: string, params?: Record<string, string>) => string;

/** The translated lines of one evidence value (exported for tests of the wording's completeness). */
export function evidenceLines(ev: ConsentEvidence, state: ConsentEvent['state'], t: Translate, time: (ms: number) => string): string[] {
  const p = ev.params;
  const text = (v: unknown) => isolate(String(v ?? ''));
  const when = (v: unknown) => (typeof v === 'number' ? isolate(time(v)) : '');
  const out: string[] = [];
  switch (ev.code) {
    case 'import_file':
      out.push(t('evidence.import_file', { file: text(p.file), row: text(p.row), at: when(p.at) }));
      if (p.note) out.push(t('evidence.source', { note: text(p.note) }));
      break;
    case 'import_column':
      out.push(
        t(state === 'opted_out' ? 'evidence.import_column_no' : 'evidence.import_column_yes', {
          column: text(p.column),
          file: text(p.file),
          row: text(p.row),
          at: when(p.at),
        }),
      );
      break;
    case 'manual':
    case 'manual_bulk':
      if (ev.code === 'manual_bulk') out.push(t('evidence.manual_bulk'));
      if (p.note) out.push(t(state === 'opted_in' ? 'evidence.source' : 'evidence.note', { note: text(p.note) }));
      if (p.reference) out.push(t('evidence.reference', { reference: text(p.reference) }));
      break;
    case 'stop_keyword':
      out.push(t('evidence.stop_keyword', { keyword: text(p.keyword) }));
      break;
    case 'button':
      out.push(t('evidence.button', { label: text(p.label), payload: text(p.payload) }));
      break;
    case 'meta_preference':
      out.push(
        t(
          p.value === 'stop'
            ? 'evidence.meta_preference_stop'
            : p.value === 'resume'
              ? 'evidence.meta_preference_resume'
              : 'evidence.meta_preference',
        ),
      );
      break;
    case 'send_refused':
    case 'status_failed':
    case 'test_send_refused':
      out.push(t(`evidence.${ev.code}`, { error: text(p.error) }));
      break;
    case 'test_send_attested':
      out.push(t('evidence.test_send_attested'));
      break;
  }
  if (ev.reason) out.push(t('evidence.reason', { reason: text(ev.reason) }));
  if (ev.olderThan !== undefined) out.push(t('evidence.older', { at: when(ev.olderThan) }));
  if (ev.mergedFrom !== undefined) out.push(t('evidence.merged'));
  return out;
}
