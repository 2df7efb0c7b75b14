import { useTranslation } from 'react-i18next';
import { AlertTriangle, X } from 'lucide-react';
import { useStore } from '../store';

/**
 * Shown when the desktop app's engine (the core's process) stopped on its own: while it restarts,
 * once it is back (with what that meant for a campaign that was sending), or when Pacer gave up
 * restarting it. Only Electron main sends `app:engine`; in the browser harness it never shows.
 */
export function EngineBanner() {
  const { t } = useTranslation();
  const status = useStore((s) => s.engineStatus);
  const setStatus = useStore((s) => s.setEngineStatus);
  if (!status) return null;
  return (
    <div className={`banner ${status.state === 'restarted' ? 'warn' : 'error'}`} role="alert" data-testid="engine-banner">
      <AlertTriangle size={18} aria-hidden />
      <span>
        {t(`engine.${status.state}`)}
        {status.interrupted && <> {t('engine.interrupted')}</>}
      </span>
      {status.state === 'restarted' && (
        <button
          className="btn ghost"
          style={{ color: 'inherit', padding: 2, marginInlineStart: 'auto' }}
          aria-label={t('actions.dismiss')}
          onClick={() => setStatus(null)}
        >
          <X size={14} />
        </button>
      )}
    </div>
  );
}
