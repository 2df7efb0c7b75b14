import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguageName } from '../../templates/language';
import { ArrowLeft, Repeat } from 'lucide-react';
import type { CampaignSummary } from '../../../../shared/contract/campaigns';
import { api } from '../../../api/client';
import { PageHeader } from '../../../components/PageHeader';
import { useStore } from '../../../store';
import { CampaignStateBadge } from '../badges';
import { CampaignActions } from '../CampaignActions';
import { funnelOf, useCampaignFormat } from '../format';
import { describeRepeat, formatInZone } from '../repeat';
import { useThrottledRefresh } from './useThrottledRefresh';
import '../series.css';

/**
 * A recurring series: its rule, the next occurrence, and every occurrence so far — each run with
 * its own results (open it for the full report), each skipped or missed one with the reason.
 */
export function SeriesDetail({ campaign }: { campaign: CampaignSummary }) {
  const languageName = useLanguageName();
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const language = useStore((s) => s.language);
  const open = useStore((s) => s.openCampaigns);
  const version = useStore((s) => s.campaignsVersion);
  const id = campaign.id;
  const [occ] = useThrottledRefresh(
    useCallback(async () => {
      const r = await api.call('campaigns:occurrences', { id, limit: 200 });
      return r.ok ? r.value : null;
    }, [id]),
    version,
    1500,
  );
  const s = campaign.series!;
  const tz = campaign.schedule.tz ?? 'UTC';
  const when = (ms: number) => formatInZone(language, ms, tz);
  return (
    <div className="page" data-testid="campaign-detail" data-id={id} data-series="true">
      <PageHeader
        title={campaign.name}
        subtitle={t('detail.subtitle', { template: `${campaign.template.name} · ${languageName(campaign.template.language)}` })}
        actions={
          <>
            <button className="btn ghost" onClick={() => open({ kind: 'list' })} data-testid="detail-back">
              <ArrowLeft size={16} aria-hidden className="cmp-flip" />
              {t('builder.back')}
            </button>
            <CampaignActions campaign={campaign} state={campaign.state} />
          </>
        }
      />
      <section className="card" aria-labelledby="series-title" data-testid="series-card">
        <div className="card-title">
          <h2 id="series-title">
            <Repeat size={17} aria-hidden className="inline-icon" />
            {t('series.title')}
          </h2>
          <CampaignStateBadge state={campaign.state} />
        </div>
        <p dir="auto" data-testid="series-rule">
          {describeRepeat(t, language, campaign.schedule)}
        </p>
        <div className="cmp-series-kpis">
          <div>
            <span className="muted small">{t('series.nextLabel')}</span>
            <strong data-testid="series-next" data-at={s.next_run_at ?? ''}>
              {s.next_run_at ? when(s.next_run_at) : campaign.state === 'draft' ? t('list.whenStarted') : t('series.noNextShort')}
            </strong>
          </div>
          <div>
            <span className="muted small">{t('series.runs')}</span>
            <strong data-testid="series-runs">{f.number(s.runs)}</strong>
          </div>
          <div>
            <span className="muted small">{t('series.skipped')}</span>
            <strong>{f.number(s.skipped)}</strong>
          </div>
          <div>
            <span className="muted small">{t('series.missed')}</span>
            <strong>{f.number(s.missed)}</strong>
          </div>
        </div>
        {campaign.state === 'paused' && <p className="small banner info">{t('series.pausedNote')}</p>}
        <p className="hint">
          {t('series.hint')} {t('series.graceNote')}
        </p>
      </section>
      <section className="card table-card" aria-labelledby="occ-title">
        <div className="cmp-rcpt-head">
          <h2 id="occ-title">{t('series.occurrences')}</h2>
        </div>
        {occ && occ.rows.length === 0 ? (
          <p className="muted cmp-none" data-testid="occurrences-empty">
            {t('series.noOccurrences')}
          </p>
        ) : (
          <div className="table-scroll">
            <table className="table cmp-occ-table" data-testid="occurrences-table">
              <thead>
                <tr>
                  <th>{t('series.cols.due')}</th>
                  <th>{t('series.cols.outcome')}</th>
                  <th className="num">{t('series.cols.recipients')}</th>
                  <th className="num">{t('series.cols.sent')}</th>
                  <th className="num">{t('series.cols.delivered')}</th>
                  <th className="num">{t('series.cols.read')}</th>
                  <th className="num">{t('series.cols.failed')}</th>
                  <th>
                    <span className="visually-hidden">{t('list.cols.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {(occ?.rows ?? []).map((o) => {
                  const c = o.campaign;
                  const fu = c ? funnelOf(c.counts) : null;
                  return (
                    <tr key={o.due_at} data-testid="occurrence-row" data-outcome={o.outcome}>
                      <td>{when(o.due_at)}</td>
                      <td className="cmp-occ-reason">
                        {c ? (
                          <CampaignStateBadge state={c.state} />
                        ) : (
                          <>
                            <span className={`badge ${o.outcome === 'missed' ? 'yellow' : ''}`}>{t(`series.outcome.${o.outcome}`)}</span>
                            {o.reason && <span className="small muted"> {t(`series.reason.${o.reason}`)}</span>}
                          </>
                        )}
                      </td>
                      <td className="num">{c ? f.number(c.total) : '—'}</td>
                      <td className="num">{fu ? f.number(fu.sent) : '—'}</td>
                      <td className="num" data-testid="occurrence-delivered">
                        {fu ? f.number(fu.delivered) : '—'}
                      </td>
                      <td className="num">{fu ? f.number(fu.read) : '—'}</td>
                      <td className="num">{fu ? f.number(fu.failed) : '—'}</td>
                      <td>
                        {c && (
                          <button className="btn ghost" onClick={() => open({ kind: 'detail', id: c.id })} data-testid="occurrence-open">
                            {t('series.open')}
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card small" aria-labelledby="setup-title">
        <h2 id="setup-title">{t('detail.setup')}</h2>
        <dl className="kv">
          <dt>{t('detail.audience')}</dt>
          <dd>
            <code className="mono">{campaign.audience}</code>
          </dd>
          <dt>{t('series.eachSends')}</dt>
          <dd>
            {campaign.schedule.mode === 'local_window'
              ? `${t('schedule.local_window')} · ${campaign.schedule.window ?? ''}`
              : t('series.atOnce')}
          </dd>
          <dt>{t('detail.margin')}</dt>
          <dd>{f.percent(campaign.options.margin ?? 0.1)}</dd>
        </dl>
      </section>
    </div>
  );
}

/** On an occurrence's page: which series it belongs to, with a way back. */
export function OccurrenceBanner({ campaign }: { campaign: CampaignSummary }) {
  const { t } = useTranslation('campaigns');
  const language = useStore((s) => s.language);
  const open = useStore((s) => s.openCampaigns);
  if (!campaign.series_id) return null;
  return (
    <div className="banner info" data-testid="occurrence-banner">
      <Repeat size={16} aria-hidden className="flex-none" />
      <span className="grow">
        {t('series.occurrenceOf', {
          when: campaign.occurrence_at ? formatInZone(language, campaign.occurrence_at, campaign.schedule.tz ?? 'UTC') : '—',
        })}
      </span>
      <button className="btn ghost" onClick={() => open({ kind: 'detail', id: campaign.series_id! })} data-testid="open-series">
        {t('series.openSeries')}
      </button>
    </div>
  );
}
