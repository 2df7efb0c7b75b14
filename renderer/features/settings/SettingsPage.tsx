import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ShieldAlert } from 'lucide-react';
import { PageHeader } from '../../components/PageHeader';
import { useStore } from '../../store';
import { countryOptions } from '../../../shared/countries';
import { SECRET_NAMES } from '../../../shared/contract/app';
import type { Settings } from '../../../shared/settings';
import { AccountSettingsSection } from '../account/AccountSettingsSection';
import { WebhooksCard } from './WebhooksCard';
import { RetentionCard } from './RetentionCard';
import { AuditTrailCard } from './AuditTrailCard';
import { RatesCard } from './RatesCard';

/** Each language named in itself, so a user lost in the wrong language can find their own. */
const LANGUAGE_NAMES: Record<Exclude<Settings['language'], 'system'>, string> = { en: 'English', he: 'עברית', 'zh-TW': '繁體中文' };

export function SettingsPage() {
  const { t } = useTranslation('settings');
  const settings = useStore((s) => s.settings)!;
  const language = useStore((s) => s.language);
  const info = useStore((s) => s.info);
  const secrets = useStore((s) => s.secrets);
  const update = useStore((s) => s.updateSettings);
  const countries = useMemo(() => countryOptions(language), [language]);

  return (
    <div className="page">
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <section className="card" aria-labelledby="general">
        <h2 id="general">{t('general')}</h2>
        <div className="grid cols-2">
          <div className="field">
            <label htmlFor="language">{t('language.label')}</label>
            <select
              id="language"
              className="input"
              data-testid="language-select"
              value={settings.language}
              onChange={(e) => void update({ language: e.target.value as Settings['language'] })}
            >
              <option value="system">{t('language.system')}</option>
              {Object.entries(LANGUAGE_NAMES).map(([code, name]) => (
                <option key={code} value={code} lang={code}>
                  {name}
                </option>
              ))}
            </select>
            <span className="hint">{t('language.hint')}</span>
          </div>
          <div className="field">
            <span className="label" id="theme-label">
              {t('theme.label')}
            </span>
            <div className="segmented" style={{ justifySelf: 'start' }} role="group" aria-labelledby="theme-label">
              {(['system', 'light', 'dark'] as const).map((th) => (
                <button
                  key={th}
                  aria-pressed={settings.theme === th}
                  data-testid={`theme-${th}`}
                  onClick={() => void update({ theme: th })}
                >
                  {t(`theme.${th}`)}
                </button>
              ))}
            </div>
          </div>
          <div className="field">
            <label htmlFor="country">{t('country.label')}</label>
            <select
              id="country"
              className="input"
              data-testid="country-select"
              value={settings.defaultCountry}
              onChange={(e) => void update({ defaultCountry: e.target.value })}
            >
              {countries.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name} ({`\u2066+${c.callingCode}\u2069`})
                </option>
              ))}
            </select>
            <span className="hint">{t('country.hint')}</span>
          </div>
        </div>
      </section>

      <AccountSettingsSection />
      <WebhooksCard />
      <RatesCard />

      <section className="card" aria-labelledby="security">
        <h2 id="security">{t('security')}</h2>
        {info && !info.vault.secure && info.vault.warning && (
          <div className="banner warn" data-testid="vault-warning">
            <ShieldAlert size={18} aria-hidden />
            <span>{t(`vaultWarning.${info.vault.warning}`)}</span>
          </div>
        )}
        <dl className="kv">
          {SECRET_NAMES.map((name) => (
            <div key={name} style={{ display: 'contents' }}>
              <dt>{t(`secrets.${name}`)}</dt>
              <dd data-testid={`secret-${name}`}>
                {secrets?.[name].set ? (
                  <span className="badge green">{t('secrets.set', { last4: secrets[name].last4 })}</span>
                ) : (
                  <span className="badge">{t('secrets.notSet')}</span>
                )}
              </dd>
            </div>
          ))}
        </dl>
        {info && <p className="small muted">{t('secrets.where', { backend: t(`backend.${info.vault.backend}`) })}</p>}
      </section>

      <RetentionCard />
      <AuditTrailCard />

      <section className="card" aria-labelledby="about">
        <h2 id="about">{t('about')}</h2>
        <dl className="kv">
          <dt>{t('version')}</dt>
          <dd className="mono">{info?.version}</dd>
          <dt>{t('schema')}</dt>
          <dd className="mono">v{info?.schemaVersion}</dd>
          <dt>{t('dataDir')}</dt>
          <dd className="mono" data-testid="data-dir">
            {info?.dataDir}
          </dd>
        </dl>
      </section>
    </div>
  );
}
