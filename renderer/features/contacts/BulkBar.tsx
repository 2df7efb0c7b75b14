import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Ban, Tag, Trash2, X } from 'lucide-react';
import type { ContactFilter } from '../../../shared/contract/contacts';
import { api } from '../../api/client';
import { useStore } from '../../store';
import { useFormat } from './format';
import { Modal } from './Modal';
import { errorText } from '../../i18n/errorText';

type BulkAction = 'tag' | 'untag' | 'opt-out' | 'delete';

interface Pending {
  action: BulkAction;
  tag?: string;
  matched: number;
}

/**
 * Bulk actions on the selected rows (or on every row matching the filter). The core is asked first
 * how many contacts the action would touch (confirm: false); the dialog states that count, and only
 * the confirmation applies it.
 */
export function BulkBar({ total }: { total: number }) {
  const { t } = useTranslation('contacts');
  const f = useFormat();
  const selectedIds = useStore((s) => s.selectedIds);
  const selectAll = useStore((s) => s.selectAllMatching);
  const filter = useStore((s) => s.contactsFilter);
  const clearSelection = useStore((s) => s.clearSelection);
  const toast = useStore((s) => s.toast);
  const changed = useStore((s) => s.contactsChanged);
  const [tagOpen, setTagOpen] = useState(false);
  const [tag, setTag] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const tags = useStore((s) => s.contactTags);

  const count = selectAll ? total : selectedIds.size;
  if (count === 0) return null;

  const target = selectAll ? { filter: filter as ContactFilter } : { ids: [...selectedIds] };

  const ask = async (action: BulkAction, withTag?: string) => {
    setBusy(true);
    const r = await api.call('contacts:bulk', { action, tag: withTag, ...target, confirm: false });
    setBusy(false);
    if (!r.ok) return toast('error', errorText(r));
    setPending({ action, tag: withTag, matched: r.value.matched });
  };
  const applyPending = async () => {
    if (!pending) return;
    setBusy(true);
    const r = await api.call('contacts:bulk', { action: pending.action, tag: pending.tag, ...target, confirm: true });
    setBusy(false);
    setPending(null);
    setTagOpen(false);
    if (!r.ok) return toast('error', errorText(r));
    toast('success', t(`bulk.done.${pending.action}`, { count: r.value.affected, formatted: f.n(r.value.affected), tag: pending.tag }));
    clearSelection();
    changed();
  };

  return (
    <div className="ct-bulk" role="region" aria-label={t('bulk.label')} data-testid="bulk-bar">
      <strong data-testid="bulk-count">{t('bulk.selected', { count, formatted: f.n(count) })}</strong>
      {!selectAll && total > count && (
        <button
          className="btn ghost small-btn"
          onClick={() => useStore.getState().setSelectAllMatching(true)}
          data-testid="bulk-select-all"
        >
          {t('bulk.selectAllMatching', { count: total, formatted: f.n(total) })}
        </button>
      )}
      <span className="grow" />
      {tagOpen ? (
        <form
          className="ct-bulk-tag"
          onSubmit={(e) => {
            e.preventDefault();
            if (tag.trim()) void ask('tag', tag.trim());
          }}
        >
          <input
            className="input"
            list="bulk-tags"
            value={tag}
            onChange={(e) => setTag(e.target.value)}
            placeholder={t('bulk.tagPlaceholder')}
            aria-label={t('bulk.tagName')}
            data-testid="bulk-tag-input"
            autoFocus
          />
          <datalist id="bulk-tags">
            {tags.map((x) => (
              <option key={x.name} value={x.name} />
            ))}
          </datalist>
          <button className="btn" type="submit" disabled={!tag.trim() || busy} data-testid="bulk-tag-add">
            {t('bulk.addTag')}
          </button>
          <button
            className="btn"
            type="button"
            disabled={!tag.trim() || busy}
            onClick={() => void ask('untag', tag.trim())}
            data-testid="bulk-tag-remove"
          >
            {t('bulk.removeTag')}
          </button>
          <button className="btn ghost icon" type="button" onClick={() => setTagOpen(false)} aria-label={t('bulk.cancelTag')}>
            <X size={16} />
          </button>
        </form>
      ) : (
        <button className="btn" onClick={() => setTagOpen(true)} data-testid="bulk-tag">
          <Tag size={16} aria-hidden />
          {t('bulk.tag')}
        </button>
      )}
      <button className="btn" disabled={busy} onClick={() => void ask('opt-out')} data-testid="bulk-opt-out">
        <Ban size={16} aria-hidden />
        {t('bulk.optOut')}
      </button>
      <button className="btn danger" disabled={busy} onClick={() => void ask('delete')} data-testid="bulk-delete">
        <Trash2 size={16} aria-hidden />
        {t('bulk.delete')}
      </button>
      <button className="btn ghost" onClick={clearSelection} data-testid="bulk-clear">
        {t('bulk.clear')}
      </button>

      {pending && (
        <Modal
          title={t(`bulk.confirm.${pending.action}.title`)}
          onClose={() => setPending(null)}
          testId="bulk-confirm"
          footer={
            <>
              <button className="btn" onClick={() => setPending(null)} data-autofocus>
                {t('common:actions.cancel')}
              </button>
              <button
                className={`btn ${pending.action === 'delete' ? 'danger-solid' : 'primary'}`}
                disabled={busy}
                onClick={() => void applyPending()}
                data-testid="bulk-confirm-ok"
              >
                {t(`bulk.confirm.${pending.action}.ok`, { count: pending.matched, formatted: f.n(pending.matched) })}
              </button>
            </>
          }
        >
          <p data-testid="bulk-confirm-text">
            {t(`bulk.confirm.${pending.action}.body`, { count: pending.matched, formatted: f.n(pending.matched), tag: pending.tag })}
          </p>
        </Modal>
      )}
    </div>
  );
}
