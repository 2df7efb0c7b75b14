import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChevronDown, Download } from 'lucide-react';
import type { ContactFilter } from '../../../shared/contract/contacts';
import { api } from '../../api/client';
import { useStore } from '../../store';
import { downloadFile } from './format';
import { errorText } from '../../i18n/errorText';

const FORMATS = ['csv', 'xlsx', 'json'] as const;

/** Exports the contacts the table shows (the current filter, or the selection) as CSV, Excel or JSON. */
export function ExportMenu() {
  const { t } = useTranslation('contacts');
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const toast = useStore((s) => s.toast);

  const run = async (format: (typeof FORMATS)[number]) => {
    setOpen(false);
    setBusy(true);
    const { contactsFilter, selectedIds, selectAllMatching } = useStore.getState();
    const target = !selectAllMatching && selectedIds.size > 0 ? { ids: [...selectedIds] } : { filter: contactsFilter as ContactFilter };
    const r = await api.call('contacts:export', { format, ...target });
    setBusy(false);
    if (!r.ok) return toast('error', errorText(r));
    const body = r.value.encoding === 'base64' ? Uint8Array.from(atob(r.value.content), (c) => c.charCodeAt(0)) : r.value.content;
    downloadFile(r.value.fileName, body, r.value.mime);
  };

  return (
    <div className="menu-anchor" onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setOpen(false)}>
      <button
        className="btn"
        disabled={busy}
        aria-expanded={open}
        aria-haspopup="menu"
        onClick={() => setOpen(!open)}
        data-testid="export-open"
      >
        <Download size={16} aria-hidden />
        {t('export.button')}
        <ChevronDown size={14} aria-hidden />
      </button>
      {open && (
        <div className="menu card" role="menu">
          {FORMATS.map((f) => (
            <button key={f} role="menuitem" className="btn ghost" onClick={() => void run(f)} data-testid={`export-${f}`}>
              {t(`export.${f}`)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
