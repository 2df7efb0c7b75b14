import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsentCategory } from '../../../../shared/contract/contacts';
import { api } from '../../../api/client';
import { useStore } from '../../../store';
import { Modal } from '../Modal';
import { errorText } from '../../../i18n/errorText';

/**
 * Records an opt-in by hand. How consent was given is always asked (it is the evidence); a contact
 * who opted out can only be opted back in with a reason, which the ledger keeps.
 */
export function OptInDialog({
  category,
  wasOptedOut,
  contactId,
  onClose,
  onDone,
}: {
  category: ConsentCategory;
  wasOptedOut: boolean;
  contactId: number;
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useTranslation('contacts');
  const toast = useStore((s) => s.toast);
  const [source, setSource] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const valid = source.trim().length > 0 && (!wasOptedOut || reason.trim().length > 0);

  const submit = async () => {
    if (!valid) return;
    setBusy(true);
    const r = await api.call('contacts:opt-in', {
      contact: { id: contactId },
      category,
      source: source.trim(),
      reason: reason.trim() || undefined,
    });
    setBusy(false);
    if (!r.ok) return setError(errorText(r));
    toast('success', t('drawer.optedIn', { category: t(`consent.category.${category}`) }));
    onDone();
  };

  return (
    <Modal
      title={t('optIn.title', { category: t(`consent.category.${category}`) })}
      onClose={onClose}
      testId="opt-in-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            {t('common:actions.cancel')}
          </button>
          <button className="btn primary" disabled={!valid || busy} onClick={() => void submit()} data-testid="opt-in-ok">
            {t('optIn.ok')}
          </button>
        </>
      }
    >
      <form
        className="grid"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {wasOptedOut && <div className="banner warn">{t('optIn.wasOptedOut')}</div>}
        <div className="field">
          <label htmlFor="optin-source">{t('optIn.source')}</label>
          <input
            id="optin-source"
            className="input"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            maxLength={500}
            placeholder={t('optIn.sourcePlaceholder')}
            data-testid="opt-in-source"
            data-autofocus
          />
        </div>
        {wasOptedOut && (
          <div className="field">
            <label htmlFor="optin-reason">{t('optIn.reason')}</label>
            <textarea
              id="optin-reason"
              className="input"
              rows={3}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={500}
              data-testid="opt-in-reason"
              required
            />
            <span className="hint">{t('optIn.reasonHint')}</span>
          </div>
        )}
        {error && (
          <div className="banner error" role="alert">
            {error}
          </div>
        )}
      </form>
    </Modal>
  );
}
