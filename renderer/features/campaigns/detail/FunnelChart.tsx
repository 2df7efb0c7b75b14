import { useTranslation } from 'react-i18next';
import type { TimelinePoint } from '../../../../shared/contract/campaign-reports';
import type { ForecastWindow } from '../../../../shared/contract/campaigns';
import { useCampaignFormat, useZonedFormat } from '../format';

export const SERIES = ['sent', 'delivered', 'read', 'replied', 'failed'] as const;
type Series = (typeof SERIES)[number];

const W = 640;
const H = 220;
const PAD = { top: 12, end: 16, bottom: 26, start: 48 };

/**
 * The funnel over time as cumulative lines, with the remaining forecast as a dashed line from now.
 * Plain SVG (no chart library): the figures are also in the funnel above and in a hidden table for
 * screen readers. Time runs left to right in every language, as on a clock. Times are in the
 * campaign's schedule zone (`tz`), as every other time of its page, named under the chart when it
 * is not this computer's.
 */
export function FunnelChart({
  points,
  forecast,
  total,
  tz,
}: {
  points: TimelinePoint[];
  forecast: ForecastWindow[];
  total: number;
  tz?: string | null | undefined;
}) {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const z = useZonedFormat(tz);
  if (points.length === 0)
    return (
      <p className="muted small cmp-chart-empty" data-testid="funnel-chart-empty">
        {t('detail.chartEmpty')}
      </p>
    );
  const last = points[points.length - 1]!;
  // Forecast: cumulative sends from the last point, window by window.
  const fc: { at: number; v: number }[] = [];
  if (forecast.length) {
    let v = last.sent;
    fc.push({ at: Math.max(last.at, Date.now()), v });
    for (const w of forecast) {
      v += w.sends;
      fc.push({ at: Date.parse(w.to), v });
    }
  }
  const t0 = points[0]!.at - (points.length > 1 ? points[1]!.at - points[0]!.at : 60_000);
  const t1 = Math.max(last.at, ...fc.map((p) => p.at));
  const vmax = Math.max(1, total, ...points.map((p) => p.sent + p.failed), ...fc.map((p) => p.v));
  const x = (at: number) => PAD.start + ((at - t0) / Math.max(1, t1 - t0)) * (W - PAD.start - PAD.end);
  const y = (v: number) => H - PAD.bottom - (v / vmax) * (H - PAD.top - PAD.bottom);
  const path = (s: Series) => `M${x(t0)},${y(0)} ` + points.map((p) => `L${x(p.at).toFixed(1)},${y(p[s]).toFixed(1)}`).join(' ');
  const ticks = [0, 0.5, 1].map((k) => Math.round(vmax * k));
  const xt = [0, 1 / 3, 2 / 3, 1].map((k) => t0 + k * (t1 - t0));
  const sameDay = z.dayKey(t0) === z.dayKey(t1);
  return (
    <figure className="cmp-chart" data-testid="funnel-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('detail.chartLabel')} direction="ltr">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.start} x2={W - PAD.end} y1={y(v)} y2={y(v)} className="grid" />
            <text x={PAD.start - 6} y={y(v) + 4} textAnchor="end" className="tick">
              {f.number(v)}
            </text>
          </g>
        ))}
        {xt.map((at, i) => (
          <text key={i} x={x(at)} y={H - 8} textAnchor={i === 0 ? 'start' : i === xt.length - 1 ? 'end' : 'middle'} className="tick">
            {t1 - t0 < 15 * 60_000 ? z.timeSec(at) : sameDay ? z.time(at) : `${z.day(at)} ${z.time(at)}`}
          </text>
        ))}
        {fc.length > 1 && <polyline className="forecast" points={fc.map((p) => `${x(p.at).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ')} />}
        {SERIES.map((s) => (
          <path key={s} d={path(s)} className={`line ${s}`} />
        ))}
      </svg>
      <figcaption>
        <ul className="cmp-legend small">
          {SERIES.map((s) => (
            <li key={s} data-testid={`chart-${s}`} data-value={last[s]}>
              <span className={`sw ${s}`} aria-hidden />
              {t(`funnel.${s}`)} <span className="muted">{f.number(last[s])}</span>
            </li>
          ))}
          {fc.length > 1 && (
            <li>
              <span className="sw forecast" aria-hidden />
              {t('detail.forecastLine')}
            </li>
          )}
          {z.foreign && (
            // The zone's IANA id is an identifier: kept left-to-right as one unit in any page direction.
            <li className="muted" data-testid="chart-zone">
              {t('detail.chartZone', { zone: `\u2066${z.zone}\u2069` })}
            </li>
          )}
        </ul>
      </figcaption>
      <table className="visually-hidden">
        <caption>{t('detail.chartLabel')}</caption>
        <thead>
          <tr>
            <th>{t('detail.time')}</th>
            {SERIES.map((s) => (
              <th key={s}>{t(`funnel.${s}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {points.slice(-12).map((p) => (
            <tr key={p.at}>
              <td>{z.dateTime(p.at)}</td>
              {SERIES.map((s) => (
                <td key={s}>{p[s]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
