import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguageName } from '../templates/language';
import { Plus, Repeat, Send } from 'lucide-react';
import type { CampaignState, CampaignSummary } from '../../../shared/contract/campaigns';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { useStore } from '../../store';
import { CampaignStateBadge } from './badges';
import { CampaignActions } from './CampaignActions';
import { ProgressBar } from './ProgressBar';
import { audienceLabel, useCampaignFormat, useLiveCounts } from './format';
import { CampaignResults } from './CampaignResults';
import { describeRepeat } from './repeat';
import { startOf, useCampaignTime } from './campaignTimes';
import { ClickRateCell, useClickRates, type ClickFigures } from './pricing/clicks';
import './series.css';

const FILTERS = ['all', 'active', 'draft', 'completed'] as const;
type Filter = (typeof FILTERS)[number];
const ACTIVE: CampaignState[] = ['scheduled', 'running', 'paused'];

function Row({ c, clicks }: { c: CampaignSummary; clicks: ClickFigures | undefined }) {
  const languageName = useLanguageName();
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const open = useStore((s) => s.openCampaigns);
  const live = useLiveCounts(c);
  const language = useStore((s) => s.language);
  // Every time in the row in the schedule's zone, as on the campaign's page.
  const at = useCampaignTime(c.schedule);
  const when = startOf(c);
  const latest = c.series?.latest;
  const openIt = () => open(c.state === 'draft' ? { kind: 'builder', id: c.id } : { kind: 'detail', id: c.id });
  return (
    <tr data-testid="campaign-row" data-id={c.id} onClick={openIt}>
      <td className="cmp-name-cell">
        <button
          className="row-link"
          onClick={(e) => {
            e.stopPropagation();
            openIt();
          }}
          dir="auto"
          translate="no"
        >
          {c.name}
        </button>
        {c.series ? (
          <div className="small cmp-series-line" data-testid="campaign-series">
            <span className="badge blue cmp-series-badge">
              <Repeat size={12} aria-hidden />
              {t('series.badge')}
            </span>
            <span className="muted" dir="auto">
              {describeRepeat(t, language, c.schedule)}
            </span>
          </div>
        ) : (
          <div className="small muted">{t('list.created', { when: at(c.created_at) })}</div>
        )}
      </td>
      <td>
        <CampaignStateBadge state={live.state} />
      </td>
      <td>
        <span className="mono-name" translate="no">
          {c.template.name}
        </span>
        <div className="small muted">
          <span>{languageName(c.template.language)}</span>
        </div>
      </td>
      <td className="num">
        {live.total > 0 ? (
          f.number(live.total)
        ) : (
          <span className="muted small cmp-audience-expr" title={c.audience}>
            {audienceLabel(t, c.audience)}
          </span>
        )}
      </td>
      <td className="cmp-progress-cell">
        <ProgressBar counts={live.counts} total={live.total} compact />
      </td>
      <ClickRateCell figures={clicks} />
      <td className="small">
        {c.series ? (
          <div data-testid="campaign-next-run" data-at={c.series.next_run_at ?? ''}>
            {c.series.next_run_at ? (
              t('series.listNext', { when: at(c.series.next_run_at) })
            ) : (
              <span className="muted">{c.state === 'draft' ? t('list.whenStarted') : t('series.noNextShort')}</span>
            )}
            {(c.series.runs > 0 || latest) && (
              <div className="muted">
                {t('series.runsCount', { count: c.series.runs, n: f.number(c.series.runs) })}
                {latest && (latest.state === 'running' || latest.state === 'paused') ? ` · ${t(`series.latest.${latest.state}`)}` : ''}
              </div>
            )}
          </div>
        ) : when ? (
          <span data-testid="campaign-when" data-at={when.at}>
            {at(when.at)}
          </span>
        ) : (
          <span className="muted">{c.schedule.mode === 'local_window' ? t('schedule.localWindowShort') : t('list.whenStarted')}</span>
        )}
      </td>
      <td className="cmp-actions-cell">
        <CampaignActions campaign={c} state={live.state} compact />
      </td>
    </tr>
  );
}

export function CampaignList() {
  const { t } = useTranslation('campaigns');
  const campaigns = useStore((s) => s.campaigns);
  const error = useStore((s) => s.campaignsError);
  const open = useStore((s) => s.openCampaigns);
  const [filter, setFilter] = useState<Filter>('all');
  const clickRates = useClickRates();
  const [results, setResults] = useState(false);
  // Occurrences of a series are reached from the series' page; the list shows the series once.
  const shown = useMemo(
    () =>
      (campaigns ?? [])
        .filter((c) => !c.series_id)
        .filter((c) =>
          filter === 'all'
            ? true
            : filter === 'active'
              ? ACTIVE.includes(c.state)
              : filter === 'draft'
                ? c.state === 'draft'
                : c.state === 'completed' || c.state === 'cancelled',
        ),
    [campaigns, filter],
  );
  const newButton = (
    <button className="btn primary" onClick={() => open({ kind: 'builder', id: null })} data-testid="new-campaign">
      <Plus size={16} aria-hidden />
      {t('list.new')}
    </button>
  );
  return (
    <div className="page" data-testid="campaign-list">
      <PageHeader title={t('title')} subtitle={t('subtitle')} actions={campaigns?.length ? newButton : undefined} />
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      {campaigns === null && !error ? (
        <div className="card cmp-skeleton" aria-busy="true" data-testid="campaigns-loading">
          {[0, 1, 2].map((i) => (
            <div key={i} className="cmp-skel-row" />
          ))}
          <span className="visually-hidden">{t('loading')}</span>
        </div>
      ) : campaigns?.length === 0 ? (
        <EmptyState icon={Send} title={t('list.emptyTitle')} body={t('list.emptyBody')} action={newButton} />
      ) : (
        <section className="card table-card">
          <div className="tpl-filters">
            <div className="segmented" role="group" aria-label={t('list.filter')}>
              {FILTERS.map((k) => (
                <button key={k} aria-pressed={filter === k} onClick={() => setFilter(k)} data-testid={`campaign-filter-${k}`}>
                  {t(`list.filters.${k}`)}
                </button>
              ))}
            </div>
            <button className="btn" aria-pressed={results} onClick={() => setResults(!results)} data-testid="campaign-results-toggle">
              {t('results.toggle')}
            </button>
            <span className="small muted tpl-count">{t('list.count', { count: shown.length })}</span>
          </div>
          {results ? (
            <CampaignResults />
          ) : (
            <div className="table-scroll">
              <table className="table cmp-table" data-testid="campaigns-table">
                <thead>
                  <tr>
                    <th>{t('list.cols.name')}</th>
                    <th>{t('list.cols.state')}</th>
                    <th>{t('list.cols.template')}</th>
                    <th className="num">{t('list.cols.audience')}</th>
                    <th>{t('list.cols.progress')}</th>
                    <th>{t('pricing.clicks.column')}</th>
                    <th>{t('list.cols.scheduled')}</th>
                    <th>
                      <span className="visually-hidden">{t('list.cols.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((c) => (
                    <Row key={c.id} c={c} clicks={clickRates?.[c.id]} />
                  ))}
                </tbody>
              </table>
              {shown.length === 0 && <p className="muted cmp-none">{t('list.noneInFilter')}</p>}
            </div>
          )}
        </section>
      )}
    </div>
  );
}
