import { useTranslation } from 'react-i18next';
import { RotateCcw, Search } from 'lucide-react';
import type { CampaignStatus } from '../../../../shared/contract/campaigns';
import { isRetryableFailure } from '../../../../shared/campaigns/resend';
import { errorHelpKeys } from '../errorHelp';
import { useCampaignFormat } from '../format';

/** Failures grouped by error code: what happened in plain words and what to do about it. */
export function FailuresCard({
  errors,
  onShow,
  onResendFailed,
  canResend,
}: {
  errors: CampaignStatus['errors'];
  onShow: (code: number | null) => void;
  onResendFailed: () => void;
  canResend: boolean;
}) {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const total = errors.reduce((s, e) => s + e.count, 0);
  return (
    <section className="card" aria-labelledby="fail-title" data-testid="failures">
      <div className="card-title">
        <h2 id="fail-title">{t('failures.title')}</h2>
        {total > 0 && canResend && (
          <button className="btn" onClick={onResendFailed} data-testid="resend-failed">
            <RotateCcw size={15} aria-hidden />
            {t('actions.resendFailed')}
          </button>
        )}
      </div>
      {total === 0 ? (
        <p className="muted small" data-testid="no-failures">
          {t('failures.none')}
        </p>
      ) : (
        <ul className="cmp-failures">
          {errors.map((e) => {
            const h = errorHelpKeys(e.code, e.error_class);
            return (
              <li key={`${e.code}-${e.error_class}`} data-code={e.code ?? ''} className={`cls-${h.cls}`}>
                <div className="cmp-failure-head">
                  <span className="badge red mono">{e.code ?? t('failures.noCode')}</span>
                  <span className="badge">{t(`errors.class.${h.cls}.name`)}</span>
                  <span
                    className={`badge ${isRetryableFailure(e.error_class) ? 'blue' : ''}`}
                    data-testid="failure-retryable"
                    data-retryable={isRetryableFailure(e.error_class)}
                  >
                    {isRetryableFailure(e.error_class) ? t('failures.retryable') : t('failures.final')}
                  </span>
                  <strong className="cmp-failure-count">{t('failures.count', { count: e.count, n: f.number(e.count) })}</strong>
                  <span className="small muted">{f.percent(e.count / total)}</span>
                </div>
                <p className="small">{t(h.what)}</p>
                <p className="small cmp-failure-action">
                  <strong>{t('failures.whatToDo')}</strong> {t(h.action)}
                </p>
                <button className="btn ghost small" onClick={() => onShow(e.code)}>
                  <Search size={14} aria-hidden />
                  {t('failures.show')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
