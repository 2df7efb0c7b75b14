import { useEffect } from 'react';
import './account.css';
import { useTranslation } from 'react-i18next';
import { AlertOctagon, FlaskConical, PlugZap } from 'lucide-react';
import { useStore } from '../../store';
import { formatPhone } from './format';

/**
 * The sidebar's account chip: the connected account's name with a Sandbox/Live badge, a warning
 * when sending is blocked, or a way to connect. Mounting it loads the account and follows changes.
 */
export function AccountBadge() {
  const { t } = useTranslation('account');
  const account = useStore((s) => s.account);
  const initAccount = useStore((s) => s.initAccount);
  const navigate = useStore((s) => s.navigate);
  useEffect(() => {
    void initAccount();
  }, [initAccount]);

  if (!account?.connected || !account.connection) {
    return (
      <button className="account-chip" onClick={() => navigate('account')} data-testid="sidebar-account">
        <PlugZap size={14} aria-hidden />
        <span>{account ? t('sidebar.connect') : t('common:sidebar.notConnected')}</span>
      </button>
    );
  }
  const primary = account.phoneNumbers.find((n) => n.primary) ?? account.phoneNumbers[0];
  const name = primary?.verifiedName ?? account.wabas[0]?.name ?? account.connection.wabaId;
  const sandbox = account.connection.mode === 'sandbox';
  return (
    <button className="account-chip connected" onClick={() => navigate('account')} data-testid="sidebar-account">
      <span className="account-chip-name">{name}</span>
      <span className="account-chip-meta">
        <span className={`badge ${sandbox ? 'blue' : 'green'}`} data-testid="sidebar-mode">
          {sandbox && <FlaskConical size={11} aria-hidden />}
          {sandbox ? t('sidebar.sandbox') : t('sidebar.live')}
        </span>
        {primary && <span className="ltr">{formatPhone(primary.displayPhoneNumber)}</span>}
      </span>
      {!account.canSend && (
        <span className="account-chip-blocked" data-testid="sidebar-blocked">
          <AlertOctagon size={12} aria-hidden />
          {t('sidebar.blocked')}
        </span>
      )}
    </button>
  );
}
