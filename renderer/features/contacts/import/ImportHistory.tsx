import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Download } from 'lucide-react';
import type { ImportHistoryEntry, ImportRowError } from '../../../../shared/contract/contacts';
import { api } from '../../../api/client';
import { useStore } from '../../../store';
import { downloadFile, useFormat } from '../format';
import { pageAll, RejectedTable, rejectedCsv } from './ReportView';
import { errorText } from '../../../i18n/errorText';

/**
 * The recent saved imports, on the wizard's first step: what each did, and the rows it rejected —
 * kept by the core with the import (import:rejected), so they do not vanish when the wizard is
 * closed with Done, and their CSV can be downloaded later to fix and re-import them.
 */
export function ImportHistory() {
  const { t } = useTranslation('contacts');
  const f = useFormat();
  const toast = useStore((s) => s.toast);
  const [entries, setEntries] = useState<ImportHistoryEntry[] | null>(null);
  const [open, setOpen] = useState<{ id: string; rows: ImportRowError[] } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void api.call('import:history', { limit: 10 }).then((r) => live && r.ok && setEntries(r.value));
    return () => {
      live = false;
    };
  }, []);
  if (!entries?.length) return null;

  const show = async (e: ImportHistoryEntry) => {
    if (open?.id === e.id) return setOpen(null);
    const r = await api.call('import:rejected', { importId: e.id, limit: 100 });
    if (!r.ok) return toast('error', errorText(r));
    setOpen({ id: e.id, rows: r.value.rows });
  };
  const download = async (e: ImportHistoryEntry) => {
    setBusy(true);
    const all = await pageAll(
      e.errorsTotal,
      (offset) => api.call('import:rejected', { importId: e.id, offset, limit: 100_000 }),
      (v) => v.rows,
    );
    setBusy(false);
    if (!all.ok) return toast('error', all.message);
    downloadFile(`${e.fileName.replace(/\.[^.]+$/, '')}-rejected.csv`, rejectedCsv(t, all.rows), 'text/csv;charset=utf-8');
  };

  return (
    <section className="grid import-history" data-testid="import-history" aria-labelledby="import-history-title">
      <h3 id="import-history-title">{t('import.history.title')}</h3>
      <ul className="import-history-list">
        {entries.map((e) => (
          <li key={e.id} data-testid="import-history-entry" data-id={e.id} data-rejected={e.errorsTotal}>
            <div className="import-history-line">
              <span>
                <bdi translate="no">{e.fileName}</bdi>
                <span className="muted small"> · {f.time(e.finishedAt)}</span>
              </span>
              <span className="small muted">
                {t('import.history.summary', {
                  imported: f.n(e.counts.imported),
                  updated: f.n(e.counts.updated),
                  skipped: f.n(e.counts.skipped),
                })}
              </span>
              {e.errorsTotal > 0 ? (
                <span className="import-history-actions">
                  <button
                    type="button"
                    className="btn ghost"
                    aria-expanded={open?.id === e.id}
                    onClick={() => void show(e)}
                    data-testid="import-history-rejected"
                  >
                    {t('import.history.rejected', { count: e.errorsTotal, formatted: f.n(e.errorsTotal) })}
                  </button>
                  <button
                    type="button"
                    className="btn"
                    disabled={busy}
                    onClick={() => void download(e)}
                    data-testid="import-history-download"
                  >
                    <Download size={16} aria-hidden />
                    {t('import.report.download')}
                  </button>
                </span>
              ) : (
                <span className="small muted">{t('import.history.noneRejected')}</span>
              )}
            </div>
            {open?.id === e.id && (
              <>
                <RejectedTable errors={open.rows} testid="import-history-table" />
                {e.errorsTotal > open.rows.length && (
                  <p className="muted small">{t('import.report.more', { shown: f.n(open.rows.length), formatted: f.n(e.errorsTotal) })}</p>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
