import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CampaignClicks } from '../../../../shared/contract/pricing';
import { api } from '../../../api/client';
import { useStore } from '../../../store';
import { useThrottledRefresh } from '../detail/useThrottledRefresh';
import { useCampaignFormat } from '../format';
import './pricing.css';

export type ClickFigures = Omit<CampaignClicks, 'untied_account_clicks' | 'clicks'>;

/**
 * Why there is no click figure: Meta sends click events only for marketing messages, through the
 * Marketing Messages API, where the feature is available — no event is not 0 %.
 */
export function NoClicks({ availability, testid }: { availability: ClickFigures['availability']; testid?: string }) {
  const { t } = useTranslation('campaigns');
  return (
    <span className="small muted" data-testid={testid ?? 'clicks-none'} data-availability={availability}>
      {t(`pricing.clicks.${availability}`)}
    </span>
  );
}

/** Every campaign's click figures, refreshed with the list. */
export function useClickRates(): Record<string, ClickFigures> | null {
  const version = useStore((s) => s.campaignsVersion);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 10_000);
    return () => clearInterval(t);
  }, []);
  const [rates] = useThrottledRefresh(
    useCallback(async () => {
      const r = await api.call('campaigns:click-rates', {});
      return r.ok ? r.value : null;
    }, []),
    `${version}:${tick}`,
    5000,
  );
  return rates ?? null;
}

/** The campaign list's "Clicked" cell. */
export function ClickRateCell({ figures }: { figures: ClickFigures | undefined }) {
  const f = useCampaignFormat();
  const { t } = useTranslation('campaigns');
  if (!figures) return <td className="small muted">—</td>;
  if (figures.availability !== 'available') {
    return (
      <td
        className="small muted"
        data-testid="list-clicks"
        data-availability={figures.availability}
        title={t(`pricing.clicks.${figures.availability}`)}
      >
        {t(`pricing.clicks.short_${figures.availability}`)}
      </td>
    );
  }
  return (
    <td className="num small" data-testid="list-clicks" data-availability="available" data-rate={figures.click_rate ?? ''}>
      {figures.click_rate === null ? '—' : f.percent(figures.click_rate)}
      <div className="muted">{f.number(figures.clicked)}</div>
    </td>
  );
}
