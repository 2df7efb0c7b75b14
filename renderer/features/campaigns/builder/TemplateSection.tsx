import { useTranslation } from 'react-i18next';
import { useLanguageName } from '../../templates/language';
import type { TemplateSummary } from '../../../../shared/contract/whatsapp';
import { TemplateQualityBadge, TemplateStatusBadge } from '../../templates/badges';
import { CategoryNoticeBanner } from '../../marketing/CategoryNoticeBanner';

/** Template + language. Only APPROVED templates are selectable; the others are listed disabled with why. */
export function TemplateSection({
  templates,
  value,
  onChange,
}: {
  templates: TemplateSummary[];
  value: string | null;
  onChange: (id: string) => void;
}) {
  const { t } = useTranslation('campaigns');
  const languageName = useLanguageName();
  const sendable = templates.filter((x) => x.sendable);
  const blocked = templates.filter((x) => !x.sendable);
  const chosen = templates.find((x) => x.id === value) ?? null;
  const label = (x: TemplateSummary) => `${x.name} · ${x.language} · ${t(`category.${x.category}`, { defaultValue: x.category })}`;
  return (
    <div className="field">
      <label htmlFor="cmp-template">{t('builder.template')}</label>
      <select
        id="cmp-template"
        className="input"
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value)}
        data-testid="builder-template"
      >
        <option value="" disabled>
          {templates.length ? t('builder.chooseTemplate') : t('builder.noTemplates')}
        </option>
        {sendable.length > 0 && (
          <optgroup label={t('builder.approvedTemplates')}>
            {sendable.map((x) => (
              <option key={x.id} value={x.id}>
                {label(x)}
              </option>
            ))}
          </optgroup>
        )}
        {blocked.length > 0 && (
          <optgroup label={t('builder.blockedTemplates')}>
            {blocked.map((x) => (
              <option key={x.id} value={x.id} disabled>
                {`${label(x)} — ${t(`builder.whyNot.${x.status}`, { defaultValue: t('builder.whyNot.other', { status: x.status }) })}`}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      {chosen && (
        <div className="cmp-template-meta small">
          <TemplateStatusBadge status={chosen.status} />
          <span className="muted">{t('builder.templateQuality')}</span>
          <TemplateQualityBadge quality={chosen.quality} />
        </div>
      )}
      {chosen && <CategoryNoticeBanner name={chosen.name} language={chosen.language} compact />}
      {blocked.length > 0 && (
        <details className="cmp-blocked small" data-testid="blocked-templates">
          <summary className="muted">{t('builder.blockedCount', { count: blocked.length })}</summary>
          <ul>
            {blocked.map((x) => (
              <li key={x.id}>
                <span className="mono-name" translate="no">
                  {x.name}
                </span>{' '}
                <span className="muted">{languageName(x.language)}</span> <TemplateStatusBadge status={x.status} />{' '}
                <span className="muted">
                  {t(`builder.whyNot.${x.status}`, { defaultValue: t('builder.whyNot.other', { status: x.status }) })}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
