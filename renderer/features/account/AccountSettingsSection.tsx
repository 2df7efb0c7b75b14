import { useTranslation } from 'react-i18next';
import { Settings2 } from 'lucide-react';
import { useStore } from '../../store';

/** Settings → WhatsApp account: what is connected, and the way back into the setup wizard. */
export function AccountSettingsSection() {
  const { t } = useTranslation('account');
  const account = useStore((s) => s.account);
  const navigate = useStore((s) => s.navigate);
  const openWizard = useStore((s) => s.openWizard);
  const c = account?.connected ? account.connection : null;
  return (
    <section className="card" aria-labelledby="wa-account" data-testid="settings-account">
      <h2 id="wa-account">{t('settings.title')}</h2>
      <div className="card-title">
        <span className="muted">
          {c
            ? t('settings.connected', { mode: c.mode === 'sandbox' ? t('connection.sandbox') : t('connection.live') })
            : t('settings.none')}
          {c && (
            <>
              {' '}
              · <span className="mono">{c.wabaId}</span>
            </>
          )}
        </span>
        <button
          className="btn"
          data-testid="settings-open-wizard"
          onClick={() => {
            openWizard();
            navigate('account');
          }}
        >
          <Settings2 size={16} aria-hidden />
          {c ? t('actions.change') : t('settings.setup')}
        </button>
      </div>
    </section>
  );
}
