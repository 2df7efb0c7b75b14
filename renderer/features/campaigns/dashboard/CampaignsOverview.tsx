import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguageName } from '../../templates/language';
import { useStore } from '../../../store';
import { useCampaignFormat, useZonedFormat } from '../format';
import '../campaigns.css';

function Rate({ value, kind }: { value: number | null; kind: 'delivery' | 'read' }) {
  const f = useCampaignFormat();
  return (
    <span className="cmp-rate-cell">
      <span className={`cmp-rate-bar ${kind}`} aria-hidden>
        <span style={{ inlineSize: `${Math.round((value ?? 0) * 100)}%` }} />
      </span>
      <span className="small">{f.percent(value)}</span>
    </span>
  );
}

/** Across campaigns: rates per template and per day, cost so far, opt-outs per campaign. */
export function CampaignsOverview() {
  const { t } = useTranslation('campaigns');
  const languageName = useLanguageName();
  const f = useCampaignFormat();
  // A day of the overview is a calendar date in this computer's zone (the core folded the sends into
  // them): printed as that date, whatever the zone.
  const u = useZonedFormat('UTC');
  const dayOf = (day: string) => u.day(Date.parse(`${day}T12:00:00Z`));
  const overview = useStore((s) => s.campaignsOverview);
  const load = useStore((s) => s.loadCampaignsOverview);
  const version = useStore((s) => s.campaignsVersion);
  // At most one reload every 10 s while campaigns send (progress bumps the version ten times a second;
  // the overview reads every ledger row: ~0.5 s for 100,000).
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (timer.current) return;
    const wait = Math.max(0, last.current + 10_000 - Date.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      last.current = Date.now();
      void load();
    }, wait);
  }, [load, version]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const hasResults = !!overview && overview.templates.some((x) => x.reached > 0);
  return (
    <section className="card cmp-overview" aria-labelledby="ov-title" data-testid="campaigns-overview">
      <div>
        <h2 id="ov-title">{t('dashboard.overview')}</h2>
        <p className="small muted">{t('dashboard.overviewSubtitle')}</p>
      </div>
      {!overview ? (
        <div className="cmp-skeleton">
          {[0, 1].map((i) => (
            <div key={i} className="cmp-skel-row" />
          ))}
        </div>
      ) : !hasResults ? (
        <p className="muted small" data-testid="overview-empty">
          {t('dashboard.noResults')}
        </p>
      ) : (
        <>
          <div className="cmp-overview-grid">
            <div>
              <h3 className="cmp-sub">{t('dashboard.byTemplate')}</h3>
              <table className="table small" data-testid="overview-templates">
                <thead>
                  <tr>
                    <th>{t('dashboard.template')}</th>
                    <th className="num">{t('dashboard.campaigns')}</th>
                    <th>{t('dashboard.delivery')}</th>
                    <th>{t('dashboard.read')}</th>
                  </tr>
                </thead>
                <tbody>
                  {overview.templates.map((x) => (
                    <tr key={`${x.name}|${x.language}`}>
                      <td>
                        <span className="mono-name" translate="no">
                          {x.name}
                        </span>{' '}
                        <span className="muted">{languageName(x.language)}</span>
                      </td>
                      <td className="num">{f.number(x.campaigns)}</td>
                      <td>
                        <Rate value={x.delivery_rate} kind="delivery" />
                      </td>
                      <td>
                        <Rate value={x.read_rate} kind="read" />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div>
              <h3 className="cmp-sub">{t('dashboard.overTime')}</h3>
              <div className="cmp-days" dir="ltr" role="img" aria-label={t('dashboard.overTime')} data-testid="overview-days">
                {overview.days.map((d) => (
                  <div
                    key={d.day}
                    className="cmp-day"
                    title={t('dashboard.dayTitle', {
                      day: dayOf(d.day),
                      delivered: f.percent(d.delivery_rate),
                      read: f.percent(d.read_rate),
                    })}
                  >
                    <span className="d" style={{ blockSize: `${Math.round((d.delivery_rate ?? 0) * 80)}px` }} />
                    <span className="r" style={{ blockSize: `${Math.round((d.read_rate ?? 0) * 80)}px` }} />
                  </div>
                ))}
              </div>
              {overview.days.length > 0 && (
                <div className="cmp-days-axis small muted" dir="ltr">
                  <span>{dayOf(overview.days[0]!.day)}</span>
                  {overview.days.length > 1 && <span>{dayOf(overview.days[overview.days.length - 1]!.day)}</span>}
                </div>
              )}
              <ul className="cmp-legend small">
                <li>
                  <span className="sw delivered" aria-hidden />
                  {t('dashboard.delivery')}
                </li>
                <li>
                  <span className="sw sent" aria-hidden />
                  {t('dashboard.read')}
                </li>
              </ul>
              <h3 className="cmp-sub" style={{ marginBlockStart: 'var(--space-4)' }}>
                {t('dashboard.costSoFar')}
              </h3>
              <div className="cmp-cost" data-testid="overview-cost">
                {overview.cost.amount !== null && overview.cost.currency ? (
                  <span className="stat">{f.money(overview.cost.amount, overview.cost.currency)}</span>
                ) : (
                  <strong>{t('dashboard.noRates')}</strong>
                )}
                <span className="small muted">
                  {t('dashboard.billable', { count: overview.cost.billable, n: f.number(overview.cost.billable) })}
                </span>
                {overview.cost.unpriced > 0 && (
                  <span className="small muted">
                    · {t('dashboard.unpriced', { count: overview.cost.unpriced, n: f.number(overview.cost.unpriced) })}
                  </span>
                )}
              </div>
              <p className="small muted">{t('dashboard.costBasis')}</p>
            </div>
          </div>
          <div>
            <h3 className="cmp-sub">{t('dashboard.optOuts')}</h3>
            <table className="table small" data-testid="overview-campaigns">
              <thead>
                <tr>
                  <th>{t('dashboard.campaign')}</th>
                  <th>{t('dashboard.delivery')}</th>
                  <th className="num">{t('dashboard.replies')}</th>
                  <th className="num">{t('dashboard.optOutCount')}</th>
                  <th className="num">{t('dashboard.cost')}</th>
                </tr>
              </thead>
              <tbody>
                {overview.campaigns
                  .filter((c) => c.total > 0)
                  .slice(0, 8)
                  .map((c) => (
                    <tr key={c.id}>
                      <td>
                        <bdi>{c.name}</bdi>
                      </td>
                      <td>
                        <Rate value={c.delivery_rate} kind="delivery" />
                      </td>
                      <td className="num">{f.number(c.replied)}</td>
                      <td className="num" data-testid="overview-optouts">
                        {f.number(c.opt_outs)}
                      </td>
                      <td className="num">{c.cost.amount !== null && c.cost.currency ? f.money(c.cost.amount, c.cost.currency) : '—'}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
