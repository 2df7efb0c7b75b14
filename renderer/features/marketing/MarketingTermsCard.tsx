import { useTranslation } from 'react-i18next';
import { CircleHelp, Megaphone, ShieldCheck, ShieldX } from 'lucide-react';
import { useStore } from '../../store';
import { useMarketingStatus } from './useMarketingStatus';
import { useFormat } from '../account/format';

/**
 * Account page: has the business portfolio accepted the Marketing Messages API terms, how to
 * accept them, and the strict choice (refuse and pause instead of Meta's fallback to Cloud API).
 */
export function MarketingTermsCard() {
  const { t } = useTranslation('account');
  const f = useFormat();
  const status = useMarketingStatus();
  const settings = useStore((s) => s.settings);
  const updateSettings = useStore((s) => s.updateSettings);
  if (!status) return null;
  const state = status.terms?.state ?? 'unknown';
  const Icon = state === 'accepted' ? ShieldCheck : state === 'not_accepted' ? ShieldX : CircleHelp;
  return (
    <section className="card" aria-labelledby="mm-title" data-testid="mm-terms-card">
      <div className="card-title">
        <h2 id="mm-title">
          <Megaphone size={18} aria-hidden className="inline-icon" />
          {t('mm.title')}
        </h2>
        <span
          className={`badge ${state === 'accepted' ? 'green' : state === 'not_accepted' ? 'red' : ''}`}
          data-testid="mm-terms-state"
          data-state={state}
        >
          <Icon size={12} aria-hidden />
          {t(`mm.state.${state}`)}
        </span>
      </div>
      <p className="small">{t('mm.explain')}</p>
      {status.terms && (
        <p className="small muted" data-testid="mm-terms-source">
          {t(`mm.source.${status.terms.source}`, { when: f.ago(status.terms.at) })}
        </p>
      )}
      {state !== 'accepted' && (
        <div className="small" data-testid="mm-terms-howto">
          <strong>{t('mm.howTitle')}</strong>
          <ol>
            <li>{t('mm.how1')}</li>
            <li>{t('mm.how2')}</li>
            <li>{t('mm.how3')}</li>
          </ol>
          <a href={status.onboardingUrl} target="_blank" rel="noreferrer">
            {t('mm.docsLink')}
          </a>
        </div>
      )}
      <label className="checkbox-row">
        <input
          type="checkbox"
          checked={settings?.mmStrict ?? status.strict}
          onChange={(e) => void updateSettings({ mmStrict: e.target.checked })}
          data-testid="mm-strict"
        />
        <span>{t('mm.strict')}</span>
      </label>
      <p className="small muted">{(settings?.mmStrict ?? status.strict) ? t('mm.strictOn') : t('mm.strictOff')}</p>
    </section>
  );
}
