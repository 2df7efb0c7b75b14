import { useTranslation } from 'react-i18next';
import type { CampaignCostReport } from '../../../../shared/contract/pricing';
import { useCampaignFormat } from '../format';
import { CardName } from './CardName';
import './pricing.css';

/**
 * A campaign's cost: the estimate taken at start (with the card it used) next to the actual cost
 * Meta's pricing webhooks gave, per Meta category and pricing type, and what makes the difference
 * (not delivered, free entry point, customer-service window, rate or category changed…).
 */
export function CostCard({ cost }: { cost: CampaignCostReport }) {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const money = (n: number | null) => (n === null || !cost.currency ? t('pricing.noRate') : f.money(n, cost.currency));
  const signed = (n: number) => (cost.currency ? `${n > 0 ? '+' : n < 0 ? '−' : ''}${f.money(Math.abs(n), cost.currency)}` : '—');
  return (
    <section className="card" aria-labelledby="cost-title" data-testid="cost-card">
      <h2 id="cost-title">{t('pricing.costTitle')}</h2>
      <dl className="kv">
        <dt>{t('pricing.estimate')}</dt>
        <dd data-testid="cost-estimate" data-amount={cost.estimate.amount ?? ''}>
          {money(cost.estimate.amount)}
          {cost.estimate.unpriced > 0 && (
            <span className="small muted">
              {' '}
              · {t('pricing.unpricedAtStart', { count: cost.estimate.unpriced, n: f.number(cost.estimate.unpriced) })}
            </span>
          )}
        </dd>
        <dt>{t('pricing.actual')}</dt>
        <dd data-testid="cost-actual" data-amount={cost.actual.amount ?? ''} data-charged={cost.actual.charged}>
          <strong>{cost.actual.charged === 0 && cost.actual.amount === null ? '—' : money(cost.actual.amount)}</strong>
          <span className="small muted"> · {t('pricing.charged', { count: cost.actual.charged, n: f.number(cost.actual.charged) })}</span>
        </dd>
        <dt>{t('pricing.cardUsed')}</dt>
        <dd className="small">{cost.card ? <CardName card={cost.card} testid="cost-card-name" /> : t('pricing.cardUnknown')}</dd>
      </dl>
      {cost.actual.by_category.length > 0 && (
        <>
          <h3 className="cmp-sub">{t('pricing.byCategory')}</h3>
          <table className="table small" data-testid="cost-by-category">
            <tbody>
              {cost.actual.by_category.map((g) => (
                <tr key={`${g.category}|${g.type}`} data-category={g.category} data-type={g.type}>
                  <td>{t(`pricing.metaCategory.${g.category}`, { defaultValue: t('pricing.metaCategory.unknown') })}</td>
                  <td>{t(`pricing.type.${g.type}`, { defaultValue: t('pricing.type.unknown') })}</td>
                  <td className="num">{f.number(g.messages)}</td>
                  <td className="num">{money(g.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {cost.differences.length > 0 && (
        <>
          <h3 className="cmp-sub">{t('pricing.whyDifferent')}</h3>
          <ul className="small cmp-cost-diffs" data-testid="cost-differences">
            {cost.differences.map((d) => (
              <li key={d.code} data-code={d.code} data-amount={d.amount}>
                <span className="num">{signed(d.amount)}</span> —{' '}
                {t(`pricing.diff.${d.code}`, { count: d.messages, n: f.number(d.messages) })}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="small muted">{t('pricing.actualNote')}</p>
    </section>
  );
}
