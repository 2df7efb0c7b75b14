import { useTranslation } from 'react-i18next';
import type { RecipientCounts } from '../../../shared/contract/campaigns';
import { funnelOf } from './format';
import { useCampaignFormat } from './format';

/** Sent of total as a stacked bar: delivered/read, sent on, failed, skipped; the label says "sent / total". */
export function ProgressBar({ counts, total, compact = false }: { counts: RecipientCounts; total: number; compact?: boolean }) {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const fun = funnelOf(counts);
  const part = (n: number) => (total > 0 ? `${(100 * n) / total}%` : '0%');
  const inFlight = fun.accepted - fun.delivered;
  return (
    <div className={compact ? 'cmp-progress compact' : 'cmp-progress'} data-testid="campaign-progress">
      <div
        className="cmp-bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total || 1}
        aria-valuenow={fun.accepted}
        aria-label={t('list.progressLabel', { sent: f.number(fun.accepted), total: f.number(total) })}
      >
        <span className="seg delivered" style={{ inlineSize: part(fun.delivered) }} />
        <span className="seg sent" style={{ inlineSize: part(inFlight) }} />
        <span className="seg failed" style={{ inlineSize: part(fun.failed + fun.uncertain) }} />
        <span className="seg skipped" style={{ inlineSize: part(fun.skipped) }} />
      </div>
      <span className="small muted cmp-progress-label">
        {total > 0 ? t('list.sentOf', { sent: f.number(fun.accepted), total: f.number(total) }) : t('list.notStarted')}
      </span>
    </div>
  );
}
