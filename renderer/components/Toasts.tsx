import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../store';

export function Toasts() {
  const { t } = useTranslation();
  const toasts = useStore((s) => s.toasts);
  const dismiss = useStore((s) => s.dismissToast);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast ${toast.kind}`} data-testid={`toast-${toast.kind}`}>
          <span>{typeof toast.text === 'string' ? toast.text : t(toast.text.key, toast.text.params ?? {})}</span>
          <button
            className="btn ghost"
            style={{ color: 'inherit', padding: 2 }}
            aria-label={t('actions.dismiss')}
            onClick={() => dismiss(toast.id)}
          >
            <X size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
