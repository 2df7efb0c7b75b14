import { useTranslation } from 'react-i18next';
import type { ButtonTally } from '../../../../shared/contract/campaign-reports';
import { useCampaignFormat } from '../format';

/** Quick-reply taps on this campaign's message, per button — a survey's results. */
export function ButtonsCard({ tallies }: { tallies: ButtonTally[] }) {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const total = tallies.reduce((s, x) => s + x.count, 0);
  return (
    <section className="card" aria-labelledby="btn-title" data-testid="button-tallies">
      <h2 id="btn-title">{t('buttons.title')}</h2>
      <ul className="cmp-buttons">
        {tallies.map((b) => (
          <li key={`${b.text}|${b.payload ?? ''}`} data-count={b.count}>
            <div className="card-title small">
              <bdi className="cmp-button-label">{b.text}</bdi>
              <span className="muted">
                {t('buttons.taps', { count: b.count, n: f.number(b.count) })} · {f.percent(b.count / total)}
              </span>
            </div>
            <span className="cmp-rate-bar" aria-hidden>
              <span style={{ inlineSize: `${(100 * b.count) / total}%` }} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
