import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../store';
import { useFormat } from './format';

/** The dashboard's Contacts card: how many contacts, and how many may receive marketing. */
export function ContactsStatCard() {
  const { t } = useTranslation('contacts');
  const f = useFormat();
  const stats = useStore((s) => s.contactsStats);
  const load = useStore((s) => s.loadContactFacets);
  useEffect(() => {
    void load();
  }, [load]);
  const optedIn = stats?.consent?.marketing?.opted_in ?? 0;
  return (
    <div className="card" data-testid="stat-contacts">
      <span className="muted">{t('stat.title')}</span>
      <span className="stat" data-testid="stat-contacts-total">
        {stats ? f.n(stats.total) : '—'}
      </span>
      <span className="small muted">
        {!stats || stats.total === 0 ? t('stat.none') : t('stat.optedIn', { formatted: f.n(optedIn), count: optedIn })}
      </span>
    </div>
  );
}
