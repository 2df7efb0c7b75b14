import { useTranslation } from 'react-i18next';
import { AlertTriangle } from 'lucide-react';
import type { TemplateCategoryNotice } from '../../../shared/contract/whatsapp';
import { useMarketingStatus } from './useMarketingStatus';

/**
 * Meta's impending re-categorisation of a template (the 24-hour warning of
 * template_category_update): shown on the template and on campaigns that use it. Sending keeps the
 * current category (and endpoint) until Meta completes the change.
 */
export function CategoryNoticeBanner({ name, language, compact }: { name: string; language: string; compact?: boolean }) {
  const status = useMarketingStatus();
  const notice = status?.notices.find((n) => n.name === name && n.language === language) ?? null;
  return notice ? <CategoryNotice notice={notice} compact={compact} /> : null;
}

export function CategoryNotice({ notice, compact }: { notice: TemplateCategoryNotice; compact?: boolean }) {
  const { t, i18n } = useTranslation('templates');
  const when = notice.effectiveAt
    ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(notice.effectiveAt)
    : null;
  const params = {
    from: t(`categoryNotice.category.${notice.currentCategory}`),
    to: t(`categoryNotice.category.${notice.correctCategory}`),
    when: when ?? t('categoryNotice.soon'),
  };
  return (
    <div className={`banner warn${compact ? ' compact' : ''}`} role="status" data-testid="category-notice">
      <AlertTriangle size={16} aria-hidden />
      <span>
        {t('categoryNotice.text', params)}
        {!compact && <> {t('categoryNotice.effect')}</>}
      </span>
    </div>
  );
}
