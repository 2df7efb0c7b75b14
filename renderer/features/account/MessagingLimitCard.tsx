import { useTranslation } from 'react-i18next';
import { useStore } from '../../store';
import { useFormat } from './format';
import './account.css';

/** The Dashboard's "Messaging limit (24 h)" card: remaining unique recipients of the portfolio. */
export function MessagingLimitCard() {
  const { t } = useTranslation('dashboard');
  const { t: ta } = useTranslation('account');
  const f = useFormat();
  const account = useStore((s) => s.account);
  const navigate = useStore((s) => s.navigate);
  const budget = account?.connected ? account.portfolio : null;
  const ratio = budget?.limit ? Math.min(1, budget.used24h / budget.limit) : 0;
  return (
    <div
      className="card limit-card"
      data-testid="stat-limit"
      role="button"
      tabIndex={0}
      onClick={() => navigate('account')}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && navigate('account')}
    >
      <span className="muted">{t('cards.limit')}</span>
      {!budget ? (
        <>
          <span className="stat">—</span>
          <span className="small muted">{ta('dashboard.notConnected')}</span>
        </>
      ) : budget.limit === null ? (
        <>
          <span className="stat">{ta(`limit.${budget.messagingLimit}`)}</span>
          <span className="small muted">{ta('dashboard.unlimited')}</span>
        </>
      ) : (
        <>
          <span className="stat" data-testid="stat-limit-value">
            {f.number(budget.limit)}
          </span>
          <div className={`meter ${ratio >= 0.9 ? 'red' : ratio >= 0.7 ? 'yellow' : 'green'}`} aria-hidden>
            <span style={{ inlineSize: `${ratio * 100}%` }} />
          </div>
          <span className="small muted">
            {ta('dashboard.remaining', { remaining: f.number(budget.remaining24h ?? 0), used: f.number(budget.used24h) })}
          </span>
        </>
      )}
    </div>
  );
}
