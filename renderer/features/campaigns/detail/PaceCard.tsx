import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Gauge } from 'lucide-react';
import type { CampaignSummary } from '../../../../shared/contract/campaigns';
import { api } from '../../../api/client';
import { useStore } from '../../../store';

/** The pace of a sending campaign, changed live (campaigns:set-pace; the sender applies it at once). */
export function PaceCard({ campaign }: { campaign: CampaignSummary }) {
  const { t } = useTranslation('campaigns');
  const toast = useStore((s) => s.toast);
  const [rate, setRate] = useState(String(campaign.options.rate ?? 80));
  const [busy, setBusy] = useState(false);
  const n = Math.round(Number(rate));
  const valid = Number.isFinite(n) && n >= 1 && n <= 1000;
  const apply = async () => {
    setBusy(true);
    const r = await api.call('campaigns:set-pace', { id: campaign.id, rate: n });
    setBusy(false);
    if (r.ok) toast('success', t('overLimit.paceChanged', { rate: r.value.rate }));
    else toast('error', t('overLimit.paceFailed'));
  };
  return (
    <section className="card small" aria-labelledby="pace-title" data-testid="pace">
      <h2 id="pace-title">
        <Gauge size={17} aria-hidden className="inline-icon" />
        {t('overLimit.paceTitle')}
      </h2>
      <div className="cmp-row">
        <input
          className="input"
          type="number"
          min={1}
          max={1000}
          dir="ltr"
          value={rate}
          onChange={(e) => setRate(e.target.value)}
          aria-label={t('overLimit.pace')}
          data-testid="pace-rate"
          style={{ inlineSize: '7em' }}
        />
        <span className="muted">{t('overLimit.pace')}</span>
        <button
          className="btn"
          disabled={!valid || busy || n === campaign.options.rate}
          onClick={() => void apply()}
          data-testid="pace-apply"
        >
          {t('overLimit.paceApply')}
        </button>
      </div>
      <p className="hint">{t('overLimit.paceHint')}</p>
    </section>
  );
}
