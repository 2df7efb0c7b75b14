import { useTranslation } from 'react-i18next';
import { useMarketingStatus } from './useMarketingStatus';
import { CategoryNotice } from './CategoryNoticeBanner';

/** Templates page: every category change Meta announced and has not completed yet. */
export function CategoryNoticeList() {
  const { t } = useTranslation('templates');
  const status = useMarketingStatus();
  if (!status?.notices.length) return null;
  return (
    <section className="card" aria-labelledby="cat-notices-title" data-testid="category-notices">
      <div className="card-title">
        <h2 id="cat-notices-title">{t('categoryNotice.listTitle')}</h2>
      </div>
      {status.notices.map((n) => (
        <div key={`${n.name}/${n.language}`}>
          <span className="mono-name" translate="no">
            {n.name}
          </span>{' '}
          <span className="ltr muted small">{n.language}</span>
          <CategoryNotice notice={n} compact />
        </div>
      ))}
    </section>
  );
}
