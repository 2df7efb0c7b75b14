import { useTranslation } from 'react-i18next';
import type { RecipientCounts } from '../../../../shared/contract/campaigns';
import type { CampaignClicks } from '../../../../shared/contract/pricing';
import { funnelOf, useCampaignFormat } from '../format';
import { NoClicks } from '../pricing/clicks';

/**
 * accepted → sent → delivered → read → replied (→ clicked, when Meta sends click events), each with
 * its rate against the step before; failed and skipped beside. Without click data the clicked stage
 * says why instead of showing 0 %.
 */
export function Funnel({ counts, replied, clicks }: { counts: RecipientCounts; replied: number | null; clicks?: CampaignClicks | null }) {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const fun = funnelOf(counts);
  const steps = [
    { key: 'accepted', n: fun.accepted, base: fun.accepted + fun.failed, rateKey: 'funnel.ofAttempted' },
    { key: 'sent', n: fun.sent, base: fun.accepted, rateKey: 'funnel.ofAccepted' },
    { key: 'delivered', n: fun.delivered, base: fun.sent, rateKey: 'funnel.ofSent' },
    { key: 'read', n: fun.read, base: fun.delivered, rateKey: 'funnel.ofDelivered' },
    { key: 'replied', n: replied ?? 0, base: fun.delivered, rateKey: 'funnel.ofDelivered' },
    ...(clicks?.availability === 'available'
      ? ([{ key: 'clicked', n: clicks.clicked, base: fun.delivered, rateKey: 'funnel.ofDelivered' }] as const)
      : []),
  ] as const;
  const max = Math.max(1, steps[0].n, fun.failed);
  return (
    <div className="cmp-funnel" data-testid="funnel">
      <ol className="cmp-funnel-steps">
        {steps.map((s) => (
          <li key={s.key} data-testid={`funnel-${s.key}`} data-value={s.n}>
            <span className="cmp-funnel-label">{t(`funnel.${s.key}`)}</span>
            <span className="cmp-funnel-num">{f.number(s.n)}</span>
            <span className="cmp-funnel-bar" aria-hidden>
              <span className={s.key} style={{ inlineSize: `${(100 * s.n) / max}%` }} />
            </span>
            <span className="small muted cmp-funnel-rate">{s.base > 0 ? t(s.rateKey, { rate: f.percent(s.n / s.base) }) : '—'}</span>
          </li>
        ))}
      </ol>
      {clicks && clicks.availability !== 'available' && (
        <p className="cmp-funnel-noclicks" data-testid="funnel-clicked-none">
          <span className="cmp-funnel-label">{t('funnel.clicked')}</span> <NoClicks availability={clicks.availability} />
        </p>
      )}
      <div className="cmp-funnel-side">
        {(['failed', 'skipped', 'uncertain', 'pending'] as const).map((k) => (
          <div key={k} className={`cmp-mini ${k}`} data-testid={`funnel-${k}`} data-value={fun[k]}>
            <span className="small muted">{t(`funnel.${k}`)}</span>
            <strong>{f.number(fun[k])}</strong>
          </div>
        ))}
      </div>
    </div>
  );
}
