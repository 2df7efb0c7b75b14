import { useTranslation } from 'react-i18next';
import type { PortfolioBudget } from '../../../shared/contract/whatsapp';
import { useFormat } from './format';

/** The portfolio's moving-24-hour budget of unique recipients: used / remaining as a meter. */
export function BudgetMeter({ budget, compact = false }: { budget: PortfolioBudget; compact?: boolean }) {
  const { t } = useTranslation('account');
  const f = useFormat();
  const { limit, used24h, remaining24h } = budget;
  const ratio = limit ? Math.min(1, used24h / limit) : 0;
  const tone = ratio >= 0.9 ? 'red' : ratio >= 0.7 ? 'yellow' : 'green';
  const limitText = limit === null ? t(`limit.${budget.messagingLimit}`) : f.number(limit);
  return (
    <div className={`budget${compact ? ' compact' : ''}`} data-testid="budget-meter">
      <div className="budget-figures">
        <span className="stat" data-testid="budget-remaining">
          {remaining24h === null ? '∞' : f.number(remaining24h)}
        </span>
        <span className="muted">{t('budget.remainingOf', { limit: limitText })}</span>
      </div>
      {limit !== null ? (
        <div
          className={`meter ${tone}`}
          role="meter"
          aria-valuemin={0}
          aria-valuemax={limit}
          aria-valuenow={used24h}
          aria-label={t('budget.meterLabel')}
          aria-valuetext={t('budget.usedOf', { used: f.number(used24h), limit: limitText })}
        >
          <span style={{ inlineSize: `${Math.max(ratio * 100, used24h > 0 ? 1.5 : 0)}%` }} />
        </div>
      ) : (
        <div className="meter unlimited" aria-hidden>
          <span />
        </div>
      )}
      <div className="budget-legend small muted">
        <span data-testid="budget-used">{t('budget.used', { used: f.number(used24h) })}</span>
        <span>{t('budget.window')}</span>
      </div>
    </div>
  );
}
