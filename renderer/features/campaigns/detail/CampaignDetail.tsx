import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertOctagon, AlertTriangle, ArrowLeft, CheckCircle2, HelpCircle, X } from 'lucide-react';
import type { CampaignSummary } from '../../../../shared/contract/campaigns';
import { api } from '../../../api/client';
import { PageHeader } from '../../../components/PageHeader';
import { useStore } from '../../../store';
import { CampaignStateBadge } from '../badges';
import { CampaignActions } from '../CampaignActions';
import { ProgressBar } from '../ProgressBar';
import { ForecastTimeline } from '../builder/PlanPanel';
import { processedOf, useCampaignFormat } from '../format';
import { ButtonsCard } from './ButtonsCard';
import { FailuresCard } from './FailuresCard';
import { Funnel } from './Funnel';
import { FunnelChart } from './FunnelChart';
import { RecipientsTable, type RecipientFilter } from './RecipientsTable';
import { RetargetCard } from './RetargetCard';
import { PaceCard } from './PaceCard';
import { OccurrenceBanner, SeriesDetail } from './SeriesDetail';
import { useThrottledRefresh } from './useThrottledRefresh';

/** Watchdog alerts for this campaign, and the standing reason while it is paused automatically. */
function Alerts({ campaign }: { campaign: CampaignSummary }) {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const alerts = useStore((s) => s.campaignAlerts).filter((a) => a.id === campaign.id);
  const dismiss = useStore((s) => s.dismissCampaignAlert);
  const standing = campaign.state === 'paused' && campaign.pause_reason && campaign.pause_reason !== 'user' && !alerts.some((a) => a.kind === 'paused' || a.kind === 'account_halted');
  return (
    <>
      {standing && (
        <div className="banner error" role="alert" data-testid="campaign-alert" data-reason={campaign.pause_reason}>
          <AlertOctagon size={18} aria-hidden className="flex-none" />
          <div>
            <strong>{t('alerts.pausedBecause', { reason: t(`pauseReason.${campaign.pause_reason}`) })}</strong>
            {campaign.pause_detail && <TechnicalDetail text={campaign.pause_detail} />}
            <p className="small">{t(`pauseAdvice.${campaign.pause_reason}`)}{campaign.auto_resume ? ` ${t('alerts.autoResume')}` : ''}</p>
          </div>
        </div>
      )}
      {alerts.map((a) => (
        <div key={`${a.kind}-${a.at}`} className={`banner ${a.kind === 'paused' || a.kind === 'account_halted' ? 'error' : a.kind === 'completed' ? 'info' : 'warn'}`} role="alert" data-testid="campaign-alert" data-kind={a.kind} data-reason={a.reason ?? ''}>
          {a.kind === 'completed' ? <CheckCircle2 size={18} aria-hidden className="flex-none" /> : <AlertTriangle size={18} aria-hidden className="flex-none" />}
          <div className="grow">
            <strong>{t(`alerts.${a.kind}`, { reason: a.reason ? t(`pauseReason.${a.reason}`) : '' })}</strong>
            {a.detail && <TechnicalDetail text={a.detail} />}
            {a.reason && a.kind !== 'resumed' && <p className="small">{t(`pauseAdvice.${a.reason}`)}</p>}
            <p className="small muted">{f.dateTime(a.at)}</p>
          </div>
          <button className="btn ghost icon-btn" onClick={() => dismiss(a)} aria-label={t('alerts.dismiss')}><X size={15} /></button>
        </div>
      ))}
    </>
  );
}

/**
 * The core's own words about a pause (Meta's error message, an error code): kept for support, in
 * English as Meta wrote it, so folded under a translated label — the banner's title and advice
 * above it say what happened in the user's language.
 */
function TechnicalDetail({ text }: { text: string }) {
  const { t } = useTranslation('campaigns');
  return (
    <details className="small muted" data-testid="campaign-alert-detail">
      <summary>{t('alerts.technical')}</summary>
      <p dir="ltr" lang="en">{text}</p>
    </details>
  );
}

export function CampaignDetail({ id }: { id: string }) {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const open = useStore((s) => s.openCampaigns);
  const toast = useStore((s) => s.toast);
  const version = useStore((s) => s.campaignsVersion);
  const progress = useStore((s) => s.campaignProgress[id]);
  const [filter, setFilter] = useState<RecipientFilter>({ state: null, errorCode: null, search: '' });
  const [campaign, reloadCampaign] = useThrottledRefresh(useCallback(async () => {
    const r = await api.call('campaigns:get', { id });
    return r.ok ? r.value : null;
  }, [id]), version, 1000);
  const [status, reloadStatus] = useThrottledRefresh(useCallback(async () => {
    const r = await api.call('campaigns:status', { id });
    return r.ok ? r.value : null;
  }, [id]), version, 1500);
  // The chart reads every ledger row (~0.4 s for 100,000 in the core): refresh it less often on big campaigns.
  const size = progress?.total ?? 0;
  const [timeline] = useThrottledRefresh(useCallback(async () => {
    const r = await api.call('campaigns:timeline', { id, buckets: 60 });
    return r.ok ? r.value : null;
  }, [id]), version, size > 50_000 ? 20_000 : size > 10_000 ? 8_000 : 3_000);
  const [buttons] = useThrottledRefresh(useCallback(async () => {
    const r = await api.call('campaigns:buttons', { id });
    return r.ok ? r.value : null;
  }, [id]), version, 5000);
  // The table refreshes on its own, slower clock.
  const [tableVersion] = useThrottledRefresh(useCallback(async () => Date.now(), []), version, 2500);

  if (!campaign) {
    return (
      <div className="page" aria-busy="true">
        <PageHeader title={t('detail.loading')} />
        <div className="card cmp-skeleton">{[0, 1, 2, 3].map((i) => <div key={i} className="cmp-skel-row" />)}</div>
      </div>
    );
  }
  // A recurring series has no ledger of its own: its page lists its occurrences instead.
  if (campaign.series) return <SeriesDetail campaign={campaign} />;
  const live = progress && progress.at >= campaign.updated_at ? progress : null;
  const counts = live?.counts ?? campaign.counts;
  const total = live?.total ?? campaign.total;
  const state = live?.state ?? campaign.state;
  const done = processedOf(counts);
  const resend = async (which: 'failed' | 'uncertain') => {
    if (!window.confirm(t(`confirm.resend_${which}`, { count: which === 'failed' ? counts.failed : counts.uncertain }))) return;
    const r = await api.call('campaigns:resend', { id, which });
    if (!r.ok) return toast('error', r.message);
    toast('success', t('detail.requeued', { count: r.value.requeued }));
    reloadCampaign();
    reloadStatus();
  };
  return (
    <div className="page" data-testid="campaign-detail" data-id={id}>
      <PageHeader
        title={campaign.name}
        subtitle={t('detail.subtitle', { template: `${campaign.template.name} · ${campaign.template.language}` })}
        actions={(
          <>
            <button className="btn ghost" onClick={() => open({ kind: 'list' })} data-testid="detail-back"><ArrowLeft size={16} aria-hidden className="cmp-flip" />{t('builder.back')}</button>
            <CampaignActions campaign={campaign} state={state} />
          </>
        )}
      />
      <OccurrenceBanner campaign={campaign} />
      <Alerts campaign={{ ...campaign, state }} />
      <section className="card cmp-progress-card" aria-labelledby="prog-title">
        <div className="card-title">
          <h2 id="prog-title">{t('detail.progress')}</h2>
          <CampaignStateBadge state={state} />
        </div>
        <ProgressBar counts={counts} total={total} />
        <div className="cmp-kpis">
          <div><span className="muted small">{t('detail.processed')}</span><strong data-testid="detail-processed">{f.number(done)} / {f.number(total)}</strong></div>
          <div><span className="muted small">{t('detail.rate')}</span><strong>{t('plan.perSecond', { n: f.number(live?.rate ?? status?.rate ?? 0) })}</strong></div>
          <div><span className="muted small">{state === 'completed' ? t('detail.finished') : t('detail.finish')}</span><strong>{state === 'completed' && campaign.finished_at ? f.dateTime(campaign.finished_at) : status?.finish_estimate ? f.dateTime(Date.parse(status.finish_estimate)) : '—'}</strong></div>
          <div><span className="muted small">{t('detail.started')}</span><strong>{campaign.started_at ? f.dateTime(campaign.started_at) : '—'}</strong></div>
        </div>
        {status?.waiting && (
          <p className="small banner info" data-testid="detail-waiting">
            {t(`waiting.${status.waiting.reason}`, { until: status.waiting.until ? f.dateTime(Date.parse(status.waiting.until)) : '—' })}
          </p>
        )}
        {status && status.forecast.length > 0 && (
          <div>
            <h3 className="cmp-sub">{t('detail.remaining')}</h3>
            <ForecastTimeline windows={status.forecast} testid="detail-forecast" />
          </div>
        )}
      </section>
      <div className="cmp-detail-grid">
        <section className="card" aria-labelledby="funnel-title">
          <div className="card-title"><h2 id="funnel-title">{t('detail.funnel')}</h2></div>
          <Funnel counts={counts} replied={timeline?.replied ?? null} />
          <FunnelChart points={timeline?.points ?? []} forecast={state === 'running' ? status?.forecast ?? [] : []} total={total} />
          {timeline && timeline.opt_outs > 0 && <p className="small muted" data-testid="detail-optouts">{t('detail.optOuts', { count: timeline.opt_outs, n: f.number(timeline.opt_outs) })}</p>}
        </section>
        <div className="cmp-detail-side">
          <FailuresCard errors={status?.errors ?? []} canResend={state !== 'cancelled'} onResendFailed={() => void resend('failed')}
            onShow={(code) => setFilter({ state: 'failed', errorCode: code, search: '' })} />
          {buttons && buttons.length > 0 && <ButtonsCard tallies={buttons} />}
          {(state === 'running' || state === 'paused' || state === 'scheduled') && <PaceCard campaign={campaign} />}
          {state !== 'draft' && <RetargetCard campaign={campaign} version={tableVersion ?? 0} />}
          {counts.uncertain > 0 && (
            <section className="card cmp-uncertain" data-testid="uncertain">
              <h2><HelpCircle size={17} aria-hidden className="inline-icon" />{t('uncertain.title', { count: counts.uncertain, n: f.number(counts.uncertain) })}</h2>
              <p className="small">{t('uncertain.body')}</p>
              <div className="actions">
                <button className="btn" onClick={() => setFilter({ state: 'uncertain', errorCode: null, search: '' })} data-testid="review-uncertain">{t('uncertain.review')}</button>
                <button className="btn danger" onClick={() => void resend('uncertain')} data-testid="resend-uncertain">{t('uncertain.resend')}</button>
              </div>
            </section>
          )}
          <section className="card small" aria-labelledby="setup-title">
            <h2 id="setup-title">{t('detail.setup')}</h2>
            <dl className="kv">
              <dt>{t('detail.audience')}</dt><dd><code className="mono">{campaign.audience}</code></dd>
              <dt>{t('detail.schedule')}</dt><dd>{t(`schedule.${campaign.schedule.mode}`)}{campaign.schedule.at ? ` · ${campaign.schedule.at.replace('T', ' ').slice(0, 16)}` : ''}{campaign.schedule.tz ? ` (${campaign.schedule.tz})` : ''}{campaign.schedule.window ? ` · ${campaign.schedule.window}` : ''}</dd>
              <dt>{t('detail.margin')}</dt><dd>{f.percent(campaign.options.margin ?? 0.1)}</dd>
              <dt>{t('detail.category')}</dt><dd>{campaign.template.category ? t(`category.${campaign.template.category}`, { defaultValue: campaign.template.category }) : '—'}</dd>
            </dl>
          </section>
        </div>
      </div>
      <RecipientsTable id={id} filter={filter} onFilter={setFilter} version={tableVersion ?? 0} />
    </div>
  );
}
