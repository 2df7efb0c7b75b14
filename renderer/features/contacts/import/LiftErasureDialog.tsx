import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { useStore } from '../../../store';
import { Modal } from '../Modal';
import { isUserId } from '../../../../shared/user-id';
import { errorText } from '../../../i18n/errorText';

/**
 * An erased person asked to be added again: the user types their number (the report never shows
 * it — Pacer keeps none) and why; the suppression record goes and the audit log keeps the reason.
 */
export function LiftErasureDialog({ onClose, onDone }: { onClose(): void; onDone(): void }) {
  const { t } = useTranslation('contacts');
  const toast = useStore((s) => s.toast);
  const [phone, setPhone] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const valid = phone.trim().length >= 3 && reason.trim().length > 0;

  const submit = async () => {
    if (!valid || busy) return;
    setBusy(true);
    // A WhatsApp user id (e.g. "IL.1234567…") for a person who was known only by it, else a number.
    const id = phone.trim();
    const r = await api.call(
      'contacts:lift-erasure',
      isUserId(id) ? { userId: id, reason: reason.trim() } : { phone: id, reason: reason.trim() },
    );
    setBusy(false);
    if (!r.ok) return setError(errorText(r));
    if (!r.value.lifted) return setError(t('import.lift.none'));
    toast('success', t('import.lift.done'));
    onDone();
  };

  return (
    <Modal
      title={t('import.lift.title')}
      onClose={onClose}
      testId="lift-erasure-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            {t('common:actions.cancel')}
          </button>
          <button className="btn primary" disabled={!valid || busy} onClick={() => void submit()} data-testid="lift-erasure-ok">
            {t('import.lift.ok')}
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
        <p className="muted">{t('import.lift.body')}</p>
        <div className="field">
          <label htmlFor="lift-phone">{t('import.lift.phone')}</label>
          <input
            id="lift-phone"
            className="input ltr"
            dir="ltr"
            inputMode="tel"
            value={phone}
            onChange={(e) => {
              setPhone(e.target.value);
              setError(null);
            }}
            maxLength={40}
            data-testid="lift-erasure-phone"
            data-autofocus
          />
        </div>
        <div className="field">
          <label htmlFor="lift-reason">{t('import.lift.reason')}</label>
          <textarea
            id="lift-reason"
            className="input"
            rows={2}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            placeholder={t('import.lift.reasonPlaceholder')}
            data-testid="lift-erasure-reason"
            required
          />
        </div>
        {error && (
          <div className="banner error" role="alert" data-testid="lift-erasure-error">
            {error}
          </div>
        )}
      </form>
    </Modal>
  );
}
