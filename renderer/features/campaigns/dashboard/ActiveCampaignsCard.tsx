import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Plus } from 'lucide-react';
import type { CampaignSummary } from '../../../../shared/contract/campaigns';
import { useStore } from '../../../store';
import { CampaignStateBadge } from '../badges';
import { ProgressBar } from '../ProgressBar';
import { useCampaignFormat, useLiveCounts } from '../format';
import { startOf, useCampaignTime } from '../campaignTimes';
import '../campaigns.css';

const ACTIVE = new Set(['running', 'paused', 'scheduled']);

/** One active campaign; a series shows the progress of its occurrence that is sending, if any. */
function ActiveRow({ c, sending }: { c: CampaignSummary; sending: CampaignSummary | undefined }) {
  const { t } = useTranslation('campaigns');
  const open = useStore((s) => s.openCampaigns);
  const live = useLiveCounts(sending ?? c);
  // Its start (or next run) in the schedule's zone, as the list and the campaign's page show it.
  const at = useCampaignTime(c.schedule);
  // A series: its next run (its occurrences have their own pages); a campaign: its start.
  const next = c.series ? (c.series.next_run_at ?? null) : null;
  const start = c.series ? null : startOf(c);
  return (
    <li data-testid="active-campaign" data-id={c.id}>
      <div className="card-title">
        <button className="row-link" onClick={() => open({ kind: 'detail', id: c.id })} dir="auto" translate="no">
          {c.name}
        </button>
        <CampaignStateBadge state={live.state} />
      </div>
      <ProgressBar counts={live.counts} total={live.total} compact />
      {start ? (
        <span className="small muted" data-testid="active-campaign-when" data-at={start.at}>
          {t(start.started ? 'dashboard.startedAt' : 'dashboard.startsAt', { when: at(start.at) })}
        </span>
      ) : next ? (
        <span className="small muted" data-testid="active-campaign-when" data-at={next}>
          {t('series.listNext', { when: at(next) })}
        </span>
      ) : null}
    </li>
  );
}

/** Dashboard card: how many campaigns are sending, scheduled or paused, with the first few's progress. */
export function ActiveCampaignsCard() {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const campaigns = useStore((s) => s.campaigns);
  const init = useStore((s) => s.initCampaigns);
  const open = useStore((s) => s.openCampaigns);
  useEffect(() => {
    void init();
  }, [init]);
  // A series counts once (its occurrences are reached from its page, as in the campaign list).
  const active = (campaigns ?? []).filter((c) => !c.series_id && ACTIVE.has(c.state));
  const sendingOccurrence = (c: CampaignSummary) => {
    const latest = c.series?.latest;
    return latest && (latest.state === 'running' || latest.state === 'paused') ? campaigns?.find((x) => x.id === latest.id) : undefined;
  };
  return (
    <div className="card" data-testid="stat-campaigns">
      <span className="muted">{t('dashboard.active')}</span>
      <span className="stat" data-testid="active-campaigns-count">
        {campaigns === null ? '—' : f.number(active.length)}
      </span>
      {active.length === 0 ? (
        <div className="card-title">
          <span className="small muted">{t('dashboard.noneActive')}</span>
          <button className="btn" onClick={() => open({ kind: 'builder', id: null })}>
            <Plus size={15} aria-hidden />
            {t('dashboard.newCampaign')}
          </button>
        </div>
      ) : (
        <ul className="cmp-active-list">
          {active.slice(0, 3).map((c) => (
            <ActiveRow key={c.id} c={c} sending={sendingOccurrence(c)} />
          ))}
          {active.length > 3 && <li className="small muted">{t('dashboard.more', { count: active.length - 3 })}</li>}
        </ul>
      )}
    </div>
  );
}
