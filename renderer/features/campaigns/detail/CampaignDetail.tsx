import { useCallback, useState } from 'react';
import { CategoryNoticeBanner } from '../../marketing/CategoryNoticeBanner';
import { isRetryableFailure } from '../../../../shared/campaigns/resend';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { useTranslation } from 'react-i18next';
import { useLanguageName } from '../../templates/language';
import { AlertOctagon, AlertTriangle, ArrowLeft, CheckCircle2, HelpCircle, X } from 'lucide-react';
import type { CampaignSummary } from '../../../../shared/contract/campaigns';
import { api } from '../../../api/client';
import { PageHeader } from '../../../components/PageHeader';
import { useStore } from '../../../store';
import { CampaignStateBadge } from '../badges';
import { CampaignActions } from '../CampaignActions';
import { ProgressBar } from '../ProgressBar';
import { ForecastTimeline } from '../builder/PlanPanel';
import { audienceLabel, useCampaignFormat, useZonedFormat } from '../format';
import { formatInZone, localZone } from '../repeat';
import { ButtonsCard } from './ButtonsCard';
import { FailuresCard } from './FailuresCard';
import { Funnel } from './Funnel';
import { FunnelChart } from './FunnelChart';
import { RecipientsTable, type RecipientFilter } from './RecipientsTable';
import { RetargetCard } from './RetargetCard';
import { PaceCard } from './PaceCard';
import { OccurrenceBanner, SeriesDetail } from './SeriesDetail';
import { useThrottledRefresh } from './useThrottledRefresh';
import { useFigureKey, useFollowingRead } from './useFollowingRead';
import { useCostAndClicks } from '../pricing/useCostAndClicks';
import { CostCard } from '../pricing/CostCard';
import { errorText } from '../../../i18n/errorText';

/** Watchdog alerts for this campaign, and the standing reason while it is paused automatically. */
function Alerts({ campaign }: { campaign: CampaignSummary }) {
  const { t } = useTranslation('campaigns');
  // The page's times are the schedule's zone's (see CampaignDetail).
  const f = useZonedFormat(campaign.schedule.tz);
  // An alert that no longer holds is not shown: "completed" after a resend reopened the campaign,
  // "paused" once it sends again. The campaign's standing decides, as everywhere.
  const holds = (kind: string) =>
    kind === 'completed'
      ? campaign.state === 'completed'
      : kind === 'paused' || kind === 'account_halted'
        ? campaign.state === 'paused'
        : campaign.state === 'running';
  const alerts = useStore((s) => s.campaignAlerts).filter((a) => a.id === campaign.id && holds(a.kind));
  const dismiss = useStore((s) => s.dismissCampaignAlert);
  const standing =
    campaign.state === 'paused' &&
    campaign.pause_reason &&
    campaign.pause_reason !== 'user' &&
    !alerts.some((a) => a.kind === 'paused' || a.kind === 'account_halted');
  return (
    <>
      {standing && (
        <div className="banner error" role="alert" data-testid="campaign-alert" data-reason={campaign.pause_reason}>
          <AlertOctagon size={18} aria-hidden className="flex-none" />
          <div>
            <strong>{t('alerts.pausedBecause', { reason: t(`pauseReason.${campaign.pause_reason}`) })}</strong>
            {campaign.pause_detail && <TechnicalDetail text={campaign.pause_detail} />}
            <p className="small">
              {t(`pauseAdvice.${campaign.pause_reason}`)}
              {campaign.auto_resume ? ` ${t('alerts.autoResume')}` : ''}
            </p>
          </div>
        </div>
      )}
      {alerts.map((a) => (
        <div
          key={`${a.kind}-${a.at}`}
          className={`banner ${a.kind === 'paused' || a.kind === 'account_halted' ? 'error' : a.kind === 'completed' ? 'info' : 'warn'}`}
          role="alert"
          data-testid="campaign-alert"
          data-kind={a.kind}
          data-reason={a.reason ?? ''}
        >
          {a.kind === 'completed' ? (
            <CheckCircle2 size={18} aria-hidden className="flex-none" />
          ) : (
            <AlertTriangle size={18} aria-hidden className="flex-none" />
          )}
          <div className="grow">
            <strong>{t(`alerts.${a.kind}`, { reason: a.reason ? t(`pauseReason.${a.reason}`) : '' })}</strong>
            {a.detail && <TechnicalDetail text={a.detail} />}
            {a.reason && a.kind !== 'resumed' && <p className="small">{t(`pauseAdvice.${a.reason}`)}</p>}
            <p className="small muted">{f.dateTime(a.at)}</p>
          </div>
          <button className="btn ghost icon-btn" onClick={() => dismiss(a)} aria-label={t('alerts.dismiss')}>
            <X size={15} />
          </button>
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
      <p dir="ltr" lang="en">
        {text}
      </p>
    </details>
  );
}

export function CampaignDetail({ id }: { id: string }) {
  const languageName = useLanguageName();
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const open = useStore((s) => s.openCampaigns);
  const toast = useStore((s) => s.toast);
  const language = useStore((s) => s.language);
  const version = useStore((s) => s.campaignsVersion);
  const progress = useStore((s) => s.campaignProgress[id]);
  const [filter, setFilter] = useState<RecipientFilter>({ state: null, errorCode: null, search: '' });
  const [asking, setAsking] = useState<'failed' | 'uncertain' | null>(null);
  const [campaign, reloadCampaign] = useThrottledRefresh(
    useCallback(async () => {
      const r = await api.call('campaigns:get', { id });
      return r.ok ? r.value : null;
    }, [id]),
    version,
    1000,
  );
  const [status, reloadStatus] = useThrottledRefresh(
    useCallback(async () => {
      const r = await api.call('campaigns:status', { id });
      return r.ok ? r.value : null;
    }, [id]),
    version,
    1500,
  );
  // The chart and the cost follow the funnel: read again on each pushed progress of this campaign
  // (the store's campaignProgress[id], fed by store/events.ts — the funnel's own figures) and on each
  // change of the campaign, one read at a time, spaced by what a read of its ledger costs
  // (followingReader.ts: ~2 ms for a few dozen rows, 8 s for 100,000).
  const figures = useFigureKey(progress, campaign?.updated_at);
  const rows = progress?.total ?? campaign?.total ?? 0;
  const timeline = useFollowingRead(
    useCallback(async () => {
      const r = await api.call('campaigns:timeline', { id, buckets: 60 });
      return r.ok ? r.value : null;
    }, [id]),
    figures,
    rows,
  );
  const [buttons] = useThrottledRefresh(
    useCallback(async () => {
      const r = await api.call('campaigns:buttons', { id });
      return r.ok ? r.value : null;
    }, [id]),
    version,
    5000,
  );
  const { cost, clicks } = useCostAndClicks(id, figures, rows);
  // Every time on this page in the schedule's zone (the one its start is shown in), so an estimated
  // end never reads earlier than the start: the computer's zone only when the schedule names none.
  const z = useZonedFormat(campaign?.schedule.tz);
  // The table refreshes on its own, slower clock.
  const [tableVersion] = useThrottledRefresh(
    useCallback(async () => Date.now(), []),
    version,
    2500,
  );

  if (!campaign) {
    return (
      <div className="page" aria-busy="true">
        <PageHeader title={t('detail.loading')} />
        <div className="card cmp-skeleton">
          {[0, 1, 2, 3].map((i) => (
            <div key={i} className="cmp-skel-row" />
          ))}
        </div>
      </div>
    );
  }
  // A recurring series has no ledger of its own: its page lists its occurrences instead.
  if (campaign.series) return <SeriesDetail campaign={campaign} />;
  // One standing (the core's campaignStanding): the newest of the pushed progress and the campaign read.
  const live = progress && progress.at >= campaign.updated_at ? progress : null;
  const counts = live?.counts ?? campaign.counts;
  const standing = live?.standing ?? campaign.standing;
  const total = standing.total;
  const state = standing.state;
  const sending = state === 'running' || state === 'scheduled' || state === 'paused';
  const failedRetryable = (status?.errors ?? []).filter((e) => isRetryableFailure(e.error_class)).reduce((n, e) => n + e.count, 0);
  const failedFinal = (status?.errors ?? []).reduce((n, e) => n + e.count, 0) - failedRetryable;
  const resend = async (which: 'failed' | 'uncertain') => {
    const r = await api.call('campaigns:resend', { id, which });
    setAsking(null);
    if (!r.ok) return toast('error', errorText(r));
    toast(
      'success',
      r.value.not_retryable > 0
        ? t('detail.requeuedLeft', { count: r.value.requeued, left: r.value.not_retryable })
        : t('detail.requeued', { count: r.value.requeued }),
    );
    reloadCampaign();
    reloadStatus();
  };
  return (
    <div className="page" data-testid="campaign-detail" data-id={id}>
      <PageHeader
        title={campaign.name}
        subtitle={t('detail.subtitle', { template: `${campaign.template.name} · ${languageName(campaign.template.language)}` })}
        actions={
          <>
            <button className="btn ghost" onClick={() => open({ kind: 'list' })} data-testid="detail-back">
              <ArrowLeft size={16} aria-hidden className="cmp-flip" />
              {t('builder.back')}
            </button>
            <CampaignActions campaign={campaign} state={state} />
          </>
        }
      />
      {asking === 'failed' && (
        <ConfirmDialog
          title={t('confirm.resendFailedTitle')}
          confirmLabel={t('confirm.resendOk')}
          testId="resend-confirm"
          onConfirm={failedRetryable > 0 ? () => resend('failed') : () => setAsking(null)}
          onCancel={() => setAsking(null)}
        >
          {failedRetryable > 0 ? (
            <p data-testid="resend-retryable" data-count={failedRetryable}>
              {t('confirm.retryable', { count: failedRetryable, n: f.number(failedRetryable) })}
            </p>
          ) : (
            <p data-testid="resend-none">{t('confirm.noneRetryable')}</p>
          )}
          {failedFinal > 0 && (
            <p className="small muted" data-testid="resend-final" data-count={failedFinal}>
              {t('confirm.notRetryable', { count: failedFinal, n: f.number(failedFinal) })}
            </p>
          )}
        </ConfirmDialog>
      )}
      {asking === 'uncertain' && (
        <ConfirmDialog
          title={t('confirm.resendUncertainTitle')}
          confirmLabel={t('confirm.resendOk')}
          danger
          testId="resend-confirm"
          onConfirm={() => resend('uncertain')}
          onCancel={() => setAsking(null)}
        >
          <p>{t('confirm.resend_uncertain', { count: counts.uncertain })}</p>
        </ConfirmDialog>
      )}
      <OccurrenceBanner campaign={campaign} />
      <CategoryNoticeBanner name={campaign.template.name} language={campaign.template.language} />
      <Alerts campaign={{ ...campaign, state }} />
      {standing.next === 'retry' && standing.until && (
        <p className="small banner info" data-testid="detail-next-retry">
          {t('detail.next.retry', {
            count: standing.remaining,
            n: f.number(standing.remaining),
            until: z.dateTime(Date.parse(standing.until)),
          })}
        </p>
      )}
      {standing.next === 'review' && (
        <p className="small banner warn" data-testid="detail-next-review">
          {t('detail.next.review')}
        </p>
      )}
      <section className="card cmp-progress-card" aria-labelledby="prog-title">
        <div className="card-title">
          <h2 id="prog-title">{t('detail.progress')}</h2>
          <CampaignStateBadge state={state} />
        </div>
        <ProgressBar counts={counts} total={total} />
        <div className="cmp-kpis">
          <div>
            <span className="muted small">{t('detail.processed')}</span>
            <strong data-testid="detail-processed">
              {f.number(standing.processed)} / {f.number(total)}
            </strong>
          </div>
          <div>
            <span className="muted small">{t('detail.rate')}</span>
            <strong data-testid="detail-rate">
              {standing.rate === null ? t('detail.noRate') : t('plan.perSecond', { n: f.number(standing.rate) })}
            </strong>
          </div>
          <div>
            <span className="muted small">{state === 'completed' ? t('detail.finished') : t('detail.finish')}</span>
            <strong>
              {state === 'completed' && campaign.finished_at
                ? z.dateTime(campaign.finished_at)
                : sending && status?.finish_estimate
                  ? z.dateTime(Date.parse(status.finish_estimate))
                  : '—'}
            </strong>
          </div>
          {standing.started && campaign.started_at ? (
            <div>
              <span className="muted small">{t('detail.started')}</span>
              <strong data-testid="detail-started">{z.dateTime(campaign.started_at)}</strong>
            </div>
          ) : (
            <div>
              <span className="muted small">{t('detail.starts')}</span>
              <strong data-testid="detail-not-started">
                {standing.until
                  ? formatInZone(language, Date.parse(standing.until), campaign.schedule.tz ?? localZone())
                  : t('detail.notStarted')}
              </strong>
            </div>
          )}
        </div>
        {sending && status?.waiting && (
          <p className="small banner info" data-testid="detail-waiting">
            {t(`waiting.${status.waiting.reason}`, { until: status.waiting.until ? z.dateTime(Date.parse(status.waiting.until)) : '—' })}
          </p>
        )}
        {sending && status && status.forecast.length > 0 && (
          <div>
            <h3 className="cmp-sub">{t('detail.remaining')}</h3>
            <ForecastTimeline windows={status.forecast} testid="detail-forecast" tz={campaign.schedule.tz} />
          </div>
        )}
      </section>
      <div className="cmp-detail-grid">
        <section className="card" aria-labelledby="funnel-title">
          <div className="card-title">
            <h2 id="funnel-title">{t('detail.funnel')}</h2>
          </div>
          <Funnel counts={counts} replied={timeline?.replied ?? null} clicks={clicks} />
          <FunnelChart
            points={timeline?.points ?? []}
            forecast={state === 'running' ? (status?.forecast ?? []) : []}
            total={total}
            tz={campaign.schedule.tz}
          />
          {timeline && timeline.opt_outs > 0 && (
            <p className="small muted" data-testid="detail-optouts">
              {t('detail.optOuts', { count: timeline.opt_outs, n: f.number(timeline.opt_outs) })}
            </p>
          )}
        </section>
        <div className="cmp-detail-side">
          <FailuresCard
            errors={status?.errors ?? []}
            canResend={state !== 'cancelled'}
            onResendFailed={() => setAsking('failed')}
            onShow={(code) => setFilter({ state: 'failed', errorCode: code, search: '' })}
          />
          {buttons && buttons.length > 0 && <ButtonsCard tallies={buttons} />}
          {cost && <CostCard cost={cost} />}
          {(state === 'running' || state === 'paused' || state === 'scheduled') && <PaceCard campaign={campaign} />}
          {state !== 'draft' && <RetargetCard campaign={campaign} version={tableVersion ?? 0} />}
          {counts.uncertain > 0 && (
            <section className="card cmp-uncertain" data-testid="uncertain">
              <h2>
                <HelpCircle size={17} aria-hidden className="inline-icon" />
                {t('uncertain.title', { count: counts.uncertain, n: f.number(counts.uncertain) })}
              </h2>
              <p className="small">{t('uncertain.body')}</p>
              <div className="actions">
                <button
                  className="btn"
                  onClick={() => setFilter({ state: 'uncertain', errorCode: null, search: '' })}
                  data-testid="review-uncertain"
                >
                  {t('uncertain.review')}
                </button>
                <button className="btn danger" onClick={() => setAsking('uncertain')} data-testid="resend-uncertain">
                  {t('uncertain.resend')}
                </button>
              </div>
            </section>
          )}
          <section className="card small" aria-labelledby="setup-title">
            <h2 id="setup-title">{t('detail.setup')}</h2>
            <dl className="kv">
              <dt>{t('detail.audience')}</dt>
              <dd>{audienceLabel(t, campaign.audience)}</dd>
              <dt>{t('detail.schedule')}</dt>
              <dd>
                {t(`schedule.${campaign.schedule.mode}`)}
                {campaign.schedule.at ? ` · ${campaign.schedule.at.replace('T', ' ').slice(0, 16)}` : ''}
                {campaign.schedule.tz ? (
                  <>
                    {' '}
                    <bdi dir="ltr" translate="no">
                      ({campaign.schedule.tz})
                    </bdi>
                  </>
                ) : (
                  ''
                )}
                {campaign.schedule.window ? ` · ${campaign.schedule.window}` : ''}
              </dd>
              <dt>{t('detail.margin')}</dt>
              <dd>{f.percent(campaign.options.margin ?? 0.1)}</dd>
              <dt>{t('detail.category')}</dt>
              <dd>
                {campaign.template.category
                  ? t(`category.${campaign.template.category}`, { defaultValue: campaign.template.category })
                  : '—'}
              </dd>
            </dl>
          </section>
        </div>
      </div>
      <RecipientsTable id={id} filter={filter} onFilter={setFilter} version={tableVersion ?? 0} />
    </div>
  );
}
