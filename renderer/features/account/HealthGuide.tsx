import { useTranslation } from 'react-i18next';
import { BookOpen } from 'lucide-react';
import { QualityBadge } from './badges';

/** Plain-language answers to "what does this mean and what do I do" for ratings, limits and pauses. */
export function HealthGuide() {
  const { t } = useTranslation('account');
  return (
    <section className="card guide" aria-labelledby="guide-title" data-testid="health-guide">
      <div className="card-title">
        <h2 id="guide-title">
          <BookOpen size={18} aria-hidden className="inline-icon" />
          {t('guide.title')}
        </h2>
      </div>
      <div className="grid cols-2">
        <div className="guide-block">
          <h3>{t('guide.quality.title')}</h3>
          <dl className="guide-list">
            {(['GREEN', 'YELLOW', 'RED', 'UNKNOWN'] as const).map((q) => (
              <div key={q}>
                <dt>
                  <QualityBadge quality={q} />
                </dt>
                <dd>{t(`guide.quality.${q}`)}</dd>
              </div>
            ))}
          </dl>
          <p className="small muted">{t('guide.quality.signals')}</p>
        </div>
        <div className="guide-block">
          <h3>{t('guide.limit.title')}</h3>
          <p>{t('guide.limit.what')}</p>
          <p>{t('guide.limit.shared')}</p>
          <h3>{t('guide.upgrade.title')}</h3>
          <ol className="guide-steps">
            <li>{t('guide.upgrade.to2k')}</li>
            <li>{t('guide.upgrade.auto')}</li>
            <li>{t('guide.upgrade.noDowngrade')}</li>
          </ol>
        </div>
        <div className="guide-block">
          <h3>{t('guide.paused.title')}</h3>
          <p>{t('guide.paused.body')}</p>
          <p className="small muted">{t('guide.paused.after')}</p>
        </div>
        <div className="guide-block">
          <h3>{t('guide.throughput.title')}</h3>
          <p>{t('guide.throughput.body')}</p>
          <h3>{t('guide.todo.title')}</h3>
          <ul className="guide-steps">
            {(['optin', 'personal', 'pace', 'stop'] as const).map((k) => (
              <li key={k}>{t(`guide.todo.${k}`)}</li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
