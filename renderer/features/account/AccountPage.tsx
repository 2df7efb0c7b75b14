import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  AlertOctagon,
  AlertTriangle,
  Check,
  FlaskConical,
  Gauge,
  KeyRound,
  Loader2,
  LogOut,
  Phone,
  RefreshCw,
  Settings2,
} from 'lucide-react';
import { PageHeader } from '../../components/PageHeader';
import { useStore } from '../../store';
import type { AccountStatus, PhoneNumberInfo } from '../../../shared/contract/whatsapp';
import { SetupWizard } from './SetupWizard';
import { BudgetMeter } from './BudgetMeter';
import { HealthChart } from './HealthChart';
import { HealthGuide } from './HealthGuide';
import { MarketingTermsCard } from '../marketing/MarketingTermsCard';
import { BusinessProfileCard } from './BusinessProfileCard';
import { PhoneStatusBadge, QualityBadge } from './badges';
import { formatPhone, useFormat } from './format';
import './account.css';

export function AccountPage() {
  const { t } = useTranslation('account');
  const account = useStore((s) => s.account);
  const error = useStore((s) => s.accountError);
  const wizardOpen = useStore((s) => s.wizardOpen);
  const closeWizard = useStore((s) => s.closeWizard);
  const initAccount = useStore((s) => s.initAccount);

  useEffect(() => {
    void initAccount();
  }, [initAccount]);

  const connected = account?.connected === true;
  return (
    <div className="page account-page">
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        actions={connected && !wizardOpen ? <AccountActions account={account} /> : undefined}
      />
      {account === null && !error && <LoadingAccount />}
      {account === null && error && (
        <div className="banner error" role="alert" data-testid="account-load-error">
          <AlertOctagon size={18} aria-hidden />
          <span>{t('loadFailed', { message: error })}</span>
        </div>
      )}
      {account && (!connected || wizardOpen) && <SetupWizard onCancel={connected ? closeWizard : undefined} />}
      {account && connected && !wizardOpen && <ConnectedAccount account={account} />}
    </div>
  );
}

function LoadingAccount() {
  const { t } = useTranslation('account');
  return (
    <div className="grid cols-2" aria-busy="true" aria-label={t('loading')} data-testid="account-loading">
      {[0, 1].map((i) => (
        <div className="card" key={i}>
          <div className="skeleton-lines">
            <span />
            <span />
            <span />
          </div>
        </div>
      ))}
    </div>
  );
}

function AccountActions({ account }: { account: AccountStatus }) {
  const { t } = useTranslation('account');
  const busy = useStore((s) => s.accountBusy);
  const refresh = useStore((s) => s.refreshAccount);
  const openWizard = useStore((s) => s.openWizard);
  const disconnect = useStore((s) => s.disconnectAccount);
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <button className="btn" onClick={() => void refresh()} disabled={busy !== null} data-testid="account-refresh">
        {busy === 'refresh' ? <Loader2 size={16} className="spin" aria-hidden /> : <RefreshCw size={16} aria-hidden />}
        {t('actions.refresh')}
      </button>
      <button className="btn" onClick={() => openWizard()} data-testid="account-change">
        <Settings2 size={16} aria-hidden />
        {t('actions.change')}
      </button>
      {confirming ? (
        <span className="confirm" role="group" aria-label={t('actions.disconnectConfirm')}>
          <span className="small">{t('actions.disconnectConfirm')}</span>
          <button
            className="btn danger"
            onClick={() => void disconnect(account.connection?.mode === 'sandbox').then(() => setConfirming(false))}
            data-testid="account-disconnect-confirm"
          >
            {t('actions.disconnect')}
          </button>
          <button className="btn ghost" onClick={() => setConfirming(false)}>
            {t('common:actions.cancel')}
          </button>
        </span>
      ) : (
        <button className="btn ghost danger" onClick={() => setConfirming(true)} data-testid="account-disconnect">
          <LogOut size={16} aria-hidden />
          {t('actions.disconnect')}
        </button>
      )}
    </>
  );
}

function ConnectedAccount({ account }: { account: AccountStatus }) {
  const { t } = useTranslation('account');
  const f = useFormat();
  const history = useStore((s) => s.accountHistory);
  const loadHistory = useStore((s) => s.loadAccountHistory);
  const openWizard = useStore((s) => s.openWizard);
  const navigate = useStore((s) => s.navigate);
  const c = account.connection!;
  useEffect(() => {
    void loadHistory(30);
  }, [loadHistory, account.lastRefreshAt]);

  const wabaName = account.wabas.find((w) => w.id === c.wabaId)?.name;
  return (
    <>
      <Blockers account={account} onFix={() => openWizard(c.mode === 'live' ? 'meta' : 'choose')} />
      <div className="account-top">
        <section className="card" aria-labelledby="conn-title" data-testid="connection-card">
          <div className="card-title">
            <h2 id="conn-title">{wabaName ?? t('connection.title')}</h2>
            {c.mode === 'sandbox' ? (
              <span className="badge blue" data-testid="mode-badge">
                <FlaskConical size={12} aria-hidden />
                {t('connection.sandbox')}
              </span>
            ) : (
              <span className="badge green" data-testid="mode-badge">
                <Check size={12} aria-hidden />
                {t('connection.live')}
              </span>
            )}
          </div>
          {c.mode === 'sandbox' && <p className="small muted">{t('connection.sandboxNote')}</p>}
          <dl className="kv">
            <dt>{t('connection.waba')}</dt>
            <dd className="mono">{c.wabaId}</dd>
            {account.wabas.length > 1 && (
              <>
                <dt>{t('connection.otherWabas')}</dt>
                <dd data-testid="other-wabas">
                  {account.wabas
                    .filter((w) => w.id !== c.wabaId)
                    .map((w) => (
                      <div key={w.id}>
                        {w.name ?? w.id} <span className="mono muted small">{w.id}</span>
                      </div>
                    ))}
                </dd>
              </>
            )}
            <dt>{t('connection.templates')}</dt>
            <dd>
              <button className="link-button" onClick={() => navigate('templates')} data-testid="account-templates-link">
                {t('connection.templateCount', { n: account.wabas.reduce((sum, w) => sum + w.templateCount, 0) })}
              </button>
              {account.lastTemplateSyncAt && (
                <span className="muted small"> · {t('connection.synced', { when: f.ago(account.lastTemplateSyncAt) })}</span>
              )}
            </dd>
            <dt>{t('connection.api')}</dt>
            <dd>
              <span className="mono">{c.apiVersion}</span> ·{' '}
              <span className="mono small" data-testid="graph-url">
                {c.graphUrl}
              </span>
            </dd>
            <dt>{t('connection.token')}</dt>
            <dd data-testid="token-state">
              <TokenState account={account} />
            </dd>
            <dt>{t('connection.appSecret')}</dt>
            <dd>
              {account.secrets.appSecret.set ? (
                <span className="badge green">
                  {t('connection.setEndsIn')} <span className="ltr mono">{account.secrets.appSecret.last4}</span>
                </span>
              ) : (
                <span className="badge">{t('connection.notSet')}</span>
              )}
            </dd>
            <dt>{t('connection.refreshed')}</dt>
            <dd>{account.lastRefreshAt ? f.ago(account.lastRefreshAt) : t('connection.never')}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="budget-title" data-testid="budget-card">
          <div className="card-title">
            <h2 id="budget-title">
              <Gauge size={18} aria-hidden className="inline-icon" />
              {t('budget.title')}
            </h2>
            <span className="badge" data-testid="portfolio-limit">
              {t(`limit.${account.portfolio.messagingLimit}`)}
            </span>
          </div>
          <BudgetMeter budget={account.portfolio} />
          <p className="small muted">{t('budget.explain')}</p>
        </section>
      </div>

      <section className="card" aria-labelledby="numbers-title" data-testid="phone-numbers">
        <div className="card-title">
          <h2 id="numbers-title">
            <Phone size={18} aria-hidden className="inline-icon" />
            {t('numbers.title')}
          </h2>
          <span className="badge">{account.phoneNumbers.length}</span>
        </div>
        {account.phoneNumbers.length === 0 ? (
          <p className="muted">{t('numbers.none')}</p>
        ) : (
          <div className="numbers">
            {account.phoneNumbers.map((n) => (
              <NumberCard key={n.id} n={n} />
            ))}
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="chart-title">
        <div className="card-title">
          <h2 id="chart-title">{t('chart.title')}</h2>
          <span className="small muted">{t('chart.range', { days: 30 })}</span>
        </div>
        {history ? (
          <HealthChart history={history} numbers={account.phoneNumbers} limitNow={account.portfolio.messagingLimit} />
        ) : (
          <div className="skeleton-chart" aria-busy="true" aria-label={t('loading')} />
        )}
      </section>

      <MarketingTermsCard />
      <HealthGuide />
      {account.phoneNumbers.length > 0 && <BusinessProfileCard numbers={account.phoneNumbers} />}
    </>
  );
}

function TokenState({ account }: { account: AccountStatus }) {
  const { t } = useTranslation('account');
  const { state } = account.token;
  const tone = state === 'valid' ? 'green' : state === 'unchecked' ? '' : 'red';
  return (
    <span className={`badge ${tone}`}>
      {t(`token.${state}`)}
      {account.secrets.accessToken.set && (
        <>
          {' '}
          · {t('connection.endsIn')} <span className="ltr mono">{account.secrets.accessToken.last4}</span>
        </>
      )}
    </span>
  );
}

/** Why sending is blocked, most urgent first; an expired token (190) blocks every send until fixed. */
function Blockers({ account, onFix }: { account: AccountStatus; onFix: () => void }) {
  const { t } = useTranslation('account');
  if (account.blockers.length === 0) {
    if (!account.lastError) return null;
    return (
      <div className="banner warn" role="status" data-testid="last-error">
        <AlertTriangle size={18} aria-hidden />
        <span>{t('lastError', { message: account.lastError.message })}</span>
      </div>
    );
  }
  const tokenProblem = account.blockers.find((b) => b === 'token_expired' || b === 'token_invalid' || b === 'token_missing');
  return (
    <div
      className="banner error blocker"
      role="alert"
      data-testid={tokenProblem === 'token_expired' ? 'token-expired-banner' : 'blocker-banner'}
    >
      <AlertOctagon size={20} aria-hidden />
      <div className="grow">
        <strong>{t('blockers.title')}</strong>
        <ul>
          {account.blockers.map((b) => (
            <li key={b}>{t(`blockers.${b}`)}</li>
          ))}
        </ul>
        {account.token.message && tokenProblem && (
          <p className="small muted">{t('blockers.metaSays', { code: account.token.errorCode ?? '', message: account.token.message })}</p>
        )}
      </div>
      {tokenProblem && (
        <button className="btn primary" onClick={onFix} data-testid="fix-token">
          <KeyRound size={16} aria-hidden />
          {t('blockers.fixToken')}
        </button>
      )}
    </div>
  );
}

function NumberCard({ n }: { n: PhoneNumberInfo }) {
  const { t } = useTranslation('account');
  return (
    <article className="number-card" data-testid={`number-${n.id}`} aria-label={`${n.verifiedName} ${formatPhone(n.displayPhoneNumber)}`}>
      <header>
        <div className="number-name" dir="auto">
          {n.verifiedName}
        </div>
        <PhoneStatusBadge status={n.status} />
      </header>
      <div className="number-line">
        <span className="ltr mono number-display" data-testid="number-display">
          {formatPhone(n.displayPhoneNumber)}
        </span>
        {n.primary && <span className="badge blue">{t('numbers.primary')}</span>}
      </div>
      <dl className="number-facts">
        <div>
          <dt>{t('numbers.quality')}</dt>
          <dd>
            <QualityBadge quality={n.qualityRating} testId="number-quality" />
          </dd>
        </div>
        <div>
          <dt>{t('numbers.limit')}</dt>
          <dd data-testid="number-limit">{t(`limit.${n.messagingLimit}`)}</dd>
        </div>
        <div>
          <dt>{t('numbers.throughput')}</dt>
          <dd>{t(`throughput.${n.throughput}`)}</dd>
        </div>
        <div>
          <dt>{t('numbers.name')}</dt>
          <dd>{n.nameStatus ? t(`nameStatus.${n.nameStatus}`, { defaultValue: n.nameStatus }) : '—'}</dd>
        </div>
      </dl>
      <p className="small muted">{t(`qualityAdvice.${n.qualityRating}`)}</p>
    </article>
  );
}
