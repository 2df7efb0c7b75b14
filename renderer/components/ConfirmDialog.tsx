import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from './Modal';

/**
 * The app's own confirmation (never the browser's `confirm()`: unstyled, untranslated, and it blocks
 * the page). A Modal — focus trapped, Escape and the backdrop cancel — with what is about to happen
 * in `children` and one button that does it. `onConfirm` may be async: the buttons stay disabled
 * while it runs and the dialog closes when it ends.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger,
  onConfirm,
  onCancel,
  testId = 'confirm-dialog',
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm(): void | Promise<void>;
  onCancel(): void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const bodyId = useId();
  const run = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title={title}
      onClose={() => !busy && onCancel()}
      testId={testId}
      describedBy={bodyId}
      footer={
        <>
          <button className="btn" onClick={onCancel} disabled={busy} data-testid={`${testId}-cancel`}>
            {t('actions.cancel')}
          </button>
          <button
            className={`btn ${danger ? 'danger-solid' : 'primary'}`}
            onClick={() => void run()}
            disabled={busy}
            data-autofocus
            data-testid={`${testId}-ok`}
          >
            {confirmLabel}
          </button>
        </>
      }
    >
      <div id={bodyId} className="confirm-body">
        {children}
      </div>
    </Modal>
  );
}
