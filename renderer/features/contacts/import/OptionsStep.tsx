import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { X } from 'lucide-react';
import { countryOptions } from '../../../../shared/countries';
import type { ConsentCategory } from '../../../../shared/contract/contacts';
import { useStore } from '../../../store';
import { isolate } from '../format';

export interface ImportChoices {
  defaultCountry: string;
  tags: string[];
  consent: boolean;
  consentCategory: ConsentCategory;
  consentSource: string;
  onDuplicate: 'skip' | 'update';
}

/**
 * Country for local numbers, tags for everyone imported, consent evidence and the duplicate policy.
 * `consentColumn`: the column mapped to consent, if any — its yes/no decide for its rows, so the
 * "these people agreed" box only covers the rows where it says nothing.
 */
export function OptionsStep({
  value,
  onChange,
  consentColumn,
  proposed,
}: {
  value: ImportChoices;
  onChange(v: ImportChoices): void;
  consentColumn: string | null;
  /** The country most of the file's numbers with a country code belong to (the core's guess), if any. */
  proposed?: { country: string; numbers: number; of: number } | null;
}) {
  const { t } = useTranslation('contacts');
  const language = useStore((s) => s.language);
  const countries = useMemo(() => countryOptions(language), [language]);
  const [tag, setTag] = useState('');
  const set = (patch: Partial<ImportChoices>) => onChange({ ...value, ...patch });
  const addTag = () => {
    const parts = tag
      .split(/[,;]/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (parts.length) set({ tags: [...new Set([...value.tags, ...parts])] });
    setTag('');
  };
  return (
    <div className="grid cols-2 options-step">
      <div className="field">
        <label htmlFor="imp-country">{t('import.options.country')}</label>
        <select
          id="imp-country"
          className="input"
          value={value.defaultCountry}
          data-testid="import-country"
          onChange={(e) => set({ defaultCountry: e.target.value })}
        >
          {/* The calling code stays left-to-right inside a right-to-left name (LRI … PDI): "(+972)", never "(972+)". */}
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name} ({`\u2066+${c.callingCode}\u2069`})
            </option>
          ))}
        </select>
        <span className="hint">{t('import.options.countryHint')}</span>
        {proposed && (
          <span className="hint" data-testid="import-country-proposed" data-country={proposed.country}>
            {t('import.options.countryProposed', {
              country: countries.find((c) => c.code === proposed.country)?.name ?? proposed.country,
              numbers: proposed.numbers,
              of: proposed.of,
            })}
          </span>
        )}
      </div>

      <div className="field">
        <label htmlFor="imp-tag">{t('import.options.tags')}</label>
        <div className="tag-input">
          {value.tags.map((x) => (
            <span key={x} className="badge tag">
              <bdi>{x}</bdi>
              <button
                type="button"
                className="chip-x"
                aria-label={t('import.options.removeTag', { tag: x })}
                onClick={() => set({ tags: value.tags.filter((y) => y !== x) })}
              >
                <X size={12} />
              </button>
            </span>
          ))}
          <input
            id="imp-tag"
            className="bare"
            value={tag}
            data-testid="import-tags"
            placeholder={t('import.options.tagsPlaceholder')}
            onChange={(e) => setTag(e.target.value)}
            onBlur={addTag}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ',') {
                e.preventDefault();
                addTag();
              }
            }}
          />
        </div>
        <span className="hint">{t('import.options.tagsHint')}</span>
      </div>

      <fieldset className="field consent-box">
        <legend className="label">{t('import.options.consent')}</legend>
        {consentColumn !== null && (
          <p className="hint consent-column-note" data-testid="import-consent-column">
            {t('import.options.consentColumn', { column: isolate(consentColumn) })}
          </p>
        )}
        <label className="check">
          <input
            type="checkbox"
            checked={value.consent}
            onChange={(e) => set({ consent: e.target.checked })}
            data-testid="import-consent"
          />
          <span>
            {consentColumn !== null
              ? t('import.options.consentCheckRest', { column: isolate(consentColumn) })
              : t('import.options.consentCheck')}
          </span>
        </label>
        {value.consent && (
          <>
            <div className="segmented" role="group" aria-label={t('import.options.consentCategory')}>
              {(['marketing', 'utility'] as const).map((c) => (
                <button
                  type="button"
                  key={c}
                  aria-pressed={value.consentCategory === c}
                  onClick={() => set({ consentCategory: c })}
                  data-testid={`import-consent-${c}`}
                >
                  {t(`consent.category.${c}`)}
                </button>
              ))}
            </div>
            <input
              className="input"
              value={value.consentSource}
              maxLength={500}
              data-testid="import-consent-source"
              placeholder={t('import.options.consentSourcePlaceholder')}
              aria-label={t('import.options.consentSource')}
              onChange={(e) => set({ consentSource: e.target.value })}
            />
            <span className="hint">{t(consentColumn !== null ? 'import.options.consentHintColumn' : 'import.options.consentHint')}</span>
          </>
        )}
      </fieldset>

      <fieldset className="field">
        <legend className="label">{t('import.options.duplicates')}</legend>
        <div className="segmented" role="group">
          {(['skip', 'update'] as const).map((p) => (
            <button
              type="button"
              key={p}
              aria-pressed={value.onDuplicate === p}
              onClick={() => set({ onDuplicate: p })}
              data-testid={`import-dup-${p}`}
            >
              {t(`import.options.dup.${p}`)}
            </button>
          ))}
        </div>
        <span className="hint">{t(`import.options.dupHint.${value.onDuplicate}${consentColumn !== null ? 'Consent' : ''}`)}</span>
      </fieldset>
    </div>
  );
}
