import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Search, X } from 'lucide-react';
import type { ConsentCategory, ConsentState } from '../../../shared/contract/contacts';
import { useStore } from '../../store';
import { useFormat } from './format';
import { SegmentsMenu } from './SegmentsMenu';

const CONSENT_CHOICES: { category: ConsentCategory; state: ConsentState }[] = [
  { category: 'marketing', state: 'opted_in' },
  { category: 'marketing', state: 'opted_out' },
  { category: 'marketing', state: 'unknown' },
  { category: 'utility', state: 'opted_in' },
  { category: 'utility', state: 'opted_out' },
  { category: 'utility', state: 'unknown' },
];

/** Search (debounced) and the tag / consent / country / segment filters; they combine with AND. */
export function ContactsToolbar({ total }: { total: number | null }) {
  const { t } = useTranslation('contacts');
  const f = useFormat();
  const filter = useStore((s) => s.contactsFilter);
  const setFilter = useStore((s) => s.setContactsFilter);
  const clear = useStore((s) => s.clearContactsFilter);
  const tags = useStore((s) => s.contactTags);
  const segments = useStore((s) => s.segments);
  const stats = useStore((s) => s.contactsStats);
  const language = useStore((s) => s.language);
  const [search, setSearch] = useState(filter.search ?? '');

  // Typing is debounced so a phone number typed digit by digit sends one query, not twelve.
  useEffect(() => {
    if ((filter.search ?? '') === search.trim()) return;
    const id = setTimeout(() => setFilter({ search: search.trim() || undefined }), 250);
    return () => clearTimeout(id);
  }, [search, filter.search, setFilter]);
  useEffect(() => {
    if (filter.search === undefined) setSearch('');
  }, [filter.search]);

  const regionNames = new Intl.DisplayNames([language], { type: 'region' });
  // Contacts without a country (no phone, or a number libphonenumber could not place) are counted
  // under '' — not a region code: Intl.DisplayNames.of('') throws and would take the page down.
  const countries = [...(stats?.countries ?? []).map((c) => c.country).filter((c) => c !== '')];
  if (filter.country && !countries.includes(filter.country)) countries.push(filter.country);
  const consentValue = filter.consent ? `${filter.consentCategory ?? 'marketing'}:${filter.consent}` : '';
  const active = Object.keys(filter).length > 0;

  return (
    <div className="ct-toolbar" role="search">
      <label className="ct-search">
        <Search size={16} aria-hidden />
        <input
          className="input"
          type="search"
          value={search}
          placeholder={t('toolbar.searchPlaceholder')}
          aria-label={t('toolbar.search')}
          data-testid="contacts-search"
          onChange={(e) => setSearch(e.target.value)}
        />
      </label>
      <select
        className="input"
        aria-label={t('toolbar.tag')}
        data-testid="filter-tag"
        value={filter.tag ?? ''}
        onChange={(e) => setFilter({ tag: e.target.value || undefined })}
      >
        <option value="">{t('toolbar.anyTag')}</option>
        {tags.map((tag) => (
          <option key={tag.name} value={tag.name}>
            {tag.name} ({f.n(tag.count)})
          </option>
        ))}
      </select>
      <select
        className="input"
        aria-label={t('toolbar.consent')}
        data-testid="filter-consent"
        value={consentValue}
        onChange={(e) => {
          const [category, state] = e.target.value.split(':') as [ConsentCategory?, ConsentState?];
          setFilter({ consent: state || undefined, consentCategory: state ? category : undefined });
        }}
      >
        <option value="">{t('toolbar.anyConsent')}</option>
        {CONSENT_CHOICES.map((c) => (
          <option key={`${c.category}:${c.state}`} value={`${c.category}:${c.state}`}>
            {t(`consent.category.${c.category}`)}: {t(`consent.state.${c.state}`)}
          </option>
        ))}
      </select>
      <select
        className="input"
        aria-label={t('toolbar.country')}
        data-testid="filter-country"
        value={filter.country ?? ''}
        onChange={(e) => setFilter({ country: e.target.value || undefined })}
      >
        <option value="">{t('toolbar.anyCountry')}</option>
        {countries.map((c) => (
          <option key={c} value={c}>
            {regionNames.of(c) ?? c}
          </option>
        ))}
      </select>
      <select
        className="input"
        aria-label={t('toolbar.segment')}
        data-testid="filter-segment"
        value={filter.segment ?? ''}
        onChange={(e) => setFilter({ segment: e.target.value ? Number(e.target.value) : undefined })}
      >
        <option value="">{t('toolbar.anySegment')}</option>
        {segments.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <SegmentsMenu />
      {active && (
        <button className="btn ghost" onClick={clear} data-testid="filters-clear">
          <X size={14} aria-hidden />
          {t('toolbar.clear')}
        </button>
      )}
      <span className="ct-count muted" data-testid="contacts-count" aria-live="polite">
        {total === null ? '' : t('toolbar.count', { count: total, formatted: f.n(total) })}
      </span>
    </div>
  );
}
