import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Download } from 'lucide-react';
import type { ImportConsentCounts, ImportCounts, ImportJob, ImportRowError } from '../../../../shared/contract/contacts';
import { api } from '../../../api/client';
import { useStore } from '../../../store';
import { downloadFile, isolate, useFormat } from '../format';
import { toCsv } from './csv';
import { LiftErasureDialog } from './LiftErasureDialog';
import { fileErrorText } from './fileErrors';
import type { JobView } from './useImportJob';

const COUNT_KEYS: (keyof ImportCounts)[] = ['rows', 'imported', 'updated', 'duplicates', 'invalid', 'skipped'];
const TONE: Partial<Record<keyof ImportCounts, string>> = { imported: 'good', updated: 'good', invalid: 'bad', duplicates: 'warn' };

/**
 * A rejected row's reason in the UI language (codes with a translation), else the core's English
 * text as written. What a sentence needs (the erasure or opt-out date, the consent cell) comes as
 * params; the English reason is never parsed.
 */
export function useReasonText() {
  const { t, i18n } = useTranslation('contacts');
  const day = (d: string | undefined) =>
    d && /^\d{4}-\d{2}-\d{2}$/.test(d)
      ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`))
      : '';
  return (e: ImportRowError): { text: string; detail: string | null } => {
    if (e.code === 'erased') {
      const date = day(e.params?.date);
      return { text: t(date ? 'import.reasons.erased' : 'import.reasons.erasedNoDate', { date }), detail: null };
    }
    if (e.code === 'consent_unrecognised') {
      return { text: t('import.reasons.consent_unrecognised', { value: isolate(e.params?.value ?? '') }), detail: null };
    }
    if (e.code === 'opted_out_kept') {
      const date = day(e.params?.date);
      return { text: t(date ? 'import.reasons.opted_out_kept_on' : 'import.reasons.opted_out_kept', { date }), detail: null };
    }
    const text = t(`import.reasons.${e.code}`, { defaultValue: '' });
    // The core's specific English line ("not a valid number for IL: 12") adds detail in English only;
    // in another language the translated reason stands alone (never English inside it).
    const english = i18n.language === 'en';
    return text ? { text, detail: english ? e.reason : null } : { text: english ? e.reason : t('import.reasons.other'), detail: null };
  };
}

/** Where a real import's bar stands while its transaction commits. */
const COMMIT_AT = 0.97;

/** The bar fills from the inline start: left to right in English, right to left in Hebrew. */
export function ProgressView({ job }: { job: JobView }) {
  const { t } = useTranslation('contacts');
  const f = useFormat();
  const p = job.progress;
  // A real import saves rows as it reads them (the bar follows the file) and commits at the end
  // (its last few percent); a dry run only reads.
  const read = p && p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
  const fraction = job.dryRun ? read : p?.phase === 'done' ? 1 : p?.phase === 'writing' ? COMMIT_AT : read * COMMIT_AT;
  const pct = Math.round(fraction * 100);
  return (
    <div className="grid" data-testid="import-progress">
      <h3>{job.dryRun ? t('import.progress.checking') : t('import.progress.importing')}</h3>
      <div
        className="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-label={t('import.progress.label')}
      >
        <div className="fill" style={{ inlineSize: `${pct}%` }} />
      </div>
      <p className="muted small">
        {p ? t(`import.progress.phase.${p.phase === 'reading' && !job.dryRun ? 'readingSaving' : p.phase}`) : t('import.progress.starting')}
        {p && (
          <>
            {' '}
            · {t('import.progress.rows', { formatted: f.n(p.rowsRead), count: p.rowsRead })} · {pct}%
          </>
        )}
        {p?.phase === 'writing' && <> · {t('import.progress.allOrNothing')}</>}
      </p>
    </div>
  );
}

export function CountsGrid({ counts }: { counts: ImportCounts }) {
  const { t } = useTranslation('contacts');
  const f = useFormat();
  return (
    <dl className="counts" data-testid="import-counts">
      {COUNT_KEYS.map((k) => (
        <div key={k} className={`count ${TONE[k] ?? ''}`} data-testid={`count-${k}`} data-value={counts[k]}>
          <dt>{t(`import.counts.${k}`)}</dt>
          <dd>{f.n(counts[k])}</dd>
        </div>
      ))}
    </dl>
  );
}

type ConsentLine = Exclude<keyof ImportConsentCounts, 'category' | 'column' | 'box'>;
const CONSENT_TONE: Partial<Record<ConsentLine, string>> = { optedOutByFile: 'out', keptOptedOut: 'warn', unrecognised: 'warn' };

/** The lines that apply: the file's when a column is mapped, the box's when ticked, the rest when any. */
function consentLines(c: ImportConsentCounts): ConsentLine[] {
  return [
    ...(c.column !== null ? (['optedInByFile'] as const) : []),
    ...(c.box ? (['optedInByBox'] as const) : []),
    ...(c.column !== null ? (['optedOutByFile'] as const) : []),
    ...(['keptOptedOut', 'notRecorded', 'unrecognised'] as const).filter((k) => c[k] > 0),
  ];
}

/**
 * What the import records for consent, and why: the file's own column (its no always wins) or the
 * "these people agreed" box (only where the file says nothing). Nothing when it records none.
 */
export function ConsentReport({ consent }: { consent: ImportConsentCounts }) {
  const { t } = useTranslation('contacts');
  const f = useFormat();
  if (consent.column === null && !consent.box) return null;
  return (
    <section className="grid consent-report" data-testid="import-consent-report" aria-labelledby="import-consent-report-title">
      <h3 id="import-consent-report-title">{t('import.consentReport.title', { category: t(`consent.category.${consent.category}`) })}</h3>
      {consent.column !== null && (
        <p className="muted small" data-testid="consent-report-column">
          {t('import.consentReport.column', { column: isolate(consent.column) })}
        </p>
      )}
      <dl className="consent-lines">
        {consentLines(consent).map((k) => (
          <div key={k} className={CONSENT_TONE[k] ?? ''} data-testid={`consent-${k}`} data-value={consent[k]}>
            <dt>{t(`import.consentReport.${k}`)}</dt>
            <dd>{f.n(consent[k])}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/**
 * Why an import failed: a file it could not read, worded from its reason (fileErrors.ts); anything
 * else in general words, the core's English text folded under "Technical details".
 */
function FailedImport({ error }: { error: ImportJob['error'] }) {
  const { t, i18n } = useTranslation('contacts');
  const text = fileErrorText(t, i18n.language, error?.details);
  if (text) return <span>{t('import.failed', { message: text })}</span>;
  return (
    <span>
      {t('import.failedOther')}
      {error?.message && (
        <details className="small">
          <summary>{t('import.fileError.technical')}</summary>
          <p lang="en" dir="ltr" translate="no">
            {error.message}
          </p>
        </details>
      )}
    </span>
  );
}

/** The dry-run report (with the rejected rows and their CSV) or the final summary. */
export function ReportView({ job, kind }: { job: ImportJob; kind: 'dryRun' | 'final' }) {
  const { t } = useTranslation('contacts');
  const f = useFormat();
  const toast = useStore((s) => s.toast);
  const [downloading, setDownloading] = useState(false);
  const [lifting, setLifting] = useState(false);

  if (job.state !== 'done' || !job.report) {
    return (
      <div className={`banner ${job.state === 'cancelled' ? 'warn' : 'error'}`} role="alert" data-testid={`import-${job.state}`}>
        {job.state === 'cancelled' ? <span>{t('import.cancelled')}</span> : <FailedImport error={job.error} />}
      </div>
    );
  }
  const r = job.report;

  const base = r.fileName.replace(/\.[^.]+$/, '');
  const downloadRejected = async () => {
    setDownloading(true);
    const all = await pageAll(
      r.errorsTotal,
      (offset) => api.call('import:report', { jobId: r.jobId, offset, limit: 100_000 }),
      (v) => v.errors,
    );
    setDownloading(false);
    if (!all.ok) return toast('error', all.message);
    downloadFile(`${base}-rejected.csv`, rejectedCsv(t, all.rows), 'text/csv;charset=utf-8');
  };
  const downloadExisting = async () => {
    setDownloading(true);
    const all = await pageAll(
      r.existingTotal,
      (offset) => api.call('import:report', { jobId: r.jobId, offset, limit: 100_000 }),
      (v) => v.existing,
    );
    setDownloading(false);
    if (!all.ok) return toast('error', all.message);
    const rows = [[t('import.report.row'), t('import.report.phone')], ...all.rows.map((e) => [e.row, e.phone])];
    downloadFile(`${base}-already-in-pacer.csv`, toCsv(rows), 'text/csv;charset=utf-8');
  };

  return (
    <div className="grid" data-testid={kind === 'dryRun' ? 'import-dry-run' : 'import-summary'}>
      {kind === 'final' ? (
        <div className="banner info" data-testid="import-done">
          <span>{t('import.doneBody', { formatted: f.n(r.imported + r.updated), count: r.imported + r.updated })}</span>
        </div>
      ) : (
        <p className="muted">{t('import.report.intro', { formatted: f.n(r.rows), count: r.rows })}</p>
      )}
      <CountsGrid counts={r} />
      <ConsentReport consent={r.consent} />
      {r.errorsTotal > 0 && (
        <section className="grid rejected">
          <div className="card-title">
            <h3>{t('import.report.rejected', { formatted: f.n(r.errorsTotal), count: r.errorsTotal })}</h3>
            <button className="btn" onClick={() => void downloadRejected()} disabled={downloading} data-testid="download-rejected">
              <Download size={16} aria-hidden />
              {t('import.report.download')}
            </button>
          </div>
          <RejectedTable errors={r.errors} />
          {r.errorsTotal > r.errors.length && (
            <p className="muted small">{t('import.report.more', { shown: f.n(r.errors.length), formatted: f.n(r.errorsTotal) })}</p>
          )}
          {kind === 'dryRun' && r.errors.some((e) => e.code === 'erased') && (
            <p className="small" data-testid="lift-erasure-hint">
              {t('import.lift.hint')}{' '}
              <button type="button" className="btn ghost" onClick={() => setLifting(true)} data-testid="lift-erasure-open">
                {t('import.lift.open')}
              </button>
            </p>
          )}
        </section>
      )}
      {r.existingTotal > 0 && (
        <section className="grid rejected" data-testid="import-existing">
          <div className="card-title">
            <h3>{t('import.report.existing', { formatted: f.n(r.existingTotal), count: r.existingTotal })}</h3>
            <button className="btn" onClick={() => void downloadExisting()} disabled={downloading} data-testid="download-existing">
              <Download size={16} aria-hidden />
              {t('import.report.download')}
            </button>
          </div>
          <p className="muted small">{r.updated > 0 ? t('import.report.existingUpdated') : t('import.report.existingSkipped')}</p>
          <div className="preview-table-wrap short">
            <table className="table compact" data-testid="existing-table">
              <thead>
                <tr>
                  <th>{t('import.report.row')}</th>
                  <th>{t('import.report.phone')}</th>
                </tr>
              </thead>
              <tbody>
                {r.existing.map((e) => (
                  <tr key={e.row} data-testid="existing-row" data-row={e.row}>
                    <td className="num">{e.row}</td>
                    <td className="ltr mono" translate="no">
                      <bdi dir="ltr">{e.phone}</bdi>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {r.existingTotal > r.existing.length && (
            <p className="muted small">{t('import.report.more', { shown: f.n(r.existing.length), formatted: f.n(r.existingTotal) })}</p>
          )}
        </section>
      )}
      {lifting && <LiftErasureDialog onClose={() => setLifting(false)} onDone={() => setLifting(false)} />}
    </div>
  );
}

/** Every page of a list the core serves by offset (rejected or already-stored rows), for a CSV. */
export async function pageAll<V, T>(
  total: number,
  fetchPage: (offset: number) => Promise<{ ok: true; value: V } | { ok: false; message: string }>,
  pick: (v: V) => T[],
): Promise<{ ok: true; rows: T[] } | { ok: false; message: string }> {
  const rows: T[] = [];
  while (rows.length < total) {
    const page = await fetchPage(rows.length);
    if (!page.ok) return { ok: false, message: page.message };
    const got = pick(page.value);
    if (got.length === 0) break;
    rows.push(...got);
  }
  return { ok: true, rows };
}

/** The rejected rows as a CSV (row, code, the core's reason), headers in the UI language. */
export function rejectedCsv(t: TFunction<'contacts'>, errors: readonly ImportRowError[]): string {
  return toCsv([
    [t('import.report.row'), t('import.report.code'), t('import.report.reason')],
    ...errors.map((e) => [e.row, e.code, e.reason]),
  ]);
}

/** Rejected (or noted) rows with their reason in the UI language. */
export function RejectedTable({ errors, testid = 'rejected-table' }: { errors: readonly ImportRowError[]; testid?: string }) {
  const { t } = useTranslation('contacts');
  const reasonText = useReasonText();
  return (
    <div className="preview-table-wrap short">
      <table className="table compact" data-testid={testid}>
        <thead>
          <tr>
            <th>{t('import.report.row')}</th>
            <th>{t('import.report.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e, i) => {
            const reason = reasonText(e);
            return (
              <tr key={i} data-testid="rejected-row" data-code={e.code}>
                <td className="num">{e.row}</td>
                <td>
                  <bdi>{reason.text}</bdi>
                  {reason.detail && (
                    <span className="muted small">
                      {' '}
                      · <bdi>{reason.detail}</bdi>
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
