import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../../store';
import { isRtl } from '../../../shared/settings';
import type { AccountHistory, MessagingLimit, PhoneNumberInfo, QualityRating } from '../../../shared/contract/whatsapp';
import { formatPhone, shortPhone, TIER_LADDER, useFormat } from './format';
import { toSteps } from './steps';

const W = 960;
const PAD_START = 92;
const PAD_END = 16;
const LIMIT_TOP = 14;
const LIMIT_H = 120;
const LANE_H = 14;
const LANE_GAP = 8;
const DAY = 86_400_000;

const tierIndex = (l: MessagingLimit): number => {
  const i = TIER_LADDER.indexOf(l === 'UNTIERED' ? 'TIER_UNLIMITED' : l === 'TIER_50' ? 'TIER_250' : l === 'TIER_1K' ? 'TIER_2K' : l);
  return i;
};

const QUALITY_CLASS: Record<QualityRating, string> = { GREEN: 'q-green', YELLOW: 'q-yellow', RED: 'q-red', UNKNOWN: 'q-unknown' };

/**
 * Quality and messaging limit over time, drawn by hand in SVG (two series, a few dozen points:
 * no chart library needed). Time runs from the reading start — right to left in Hebrew — and the
 * same data is available as a list of changes for screen readers.
 */
export function HealthChart({
  history,
  numbers,
  limitNow,
  days = 30,
}: {
  history: AccountHistory;
  numbers: PhoneNumberInfo[];
  limitNow: MessagingLimit;
  days?: number;
}) {
  const { t } = useTranslation('account');
  const f = useFormat();
  const rtl = isRtl(useStore((s) => s.language));
  const titleId = useId();
  const descId = useId();
  const end = Date.now();
  // The window: the last `days` days, or since the first observation (at least one day).
  const firstAt = Math.min(end, ...history.numbers.map((p) => p.at), ...history.portfolio.map((p) => p.at));
  const start = Math.min(end - 1000, Math.max(end - days * DAY, firstAt));
  const span = end - start;
  const short = span <= 2 * DAY;
  const H = LIMIT_TOP + LIMIT_H + 34 + numbers.length * (LANE_H + LANE_GAP) + 22;
  const plotW = W - PAD_START - PAD_END;
  const x = (at: number) => {
    const p = ((Math.max(start, Math.min(end, at)) - start) / (end - start)) * plotW;
    return rtl ? W - PAD_START - p : PAD_START + p;
  };
  const labelX = rtl ? W - PAD_START + 10 : PAD_START - 10;
  // Anchors are logical: SVG text inherits the page's direction, so 'end' hugs the plot in both.
  const labelAnchor = 'end';
  const levelY = (i: number) => LIMIT_TOP + LIMIT_H - (i / (TIER_LADDER.length - 1)) * LIMIT_H;

  const limitPoints = history.portfolio.length
    ? history.portfolio.map((p) => ({ at: p.at, value: p.messagingLimit }))
    : history.numbers.filter((p) => numbers[0] && p.phoneNumberId === numbers[0].id).map((p) => ({ at: p.at, value: p.messagingLimit }));
  const limitSteps = toSteps(limitPoints, start, end);
  let d = '';
  limitSteps.forEach((s, i) => {
    const y = levelY(Math.max(0, tierIndex(s.value)));
    d += i === 0 ? `M${x(s.from)},${y}` : `V${y}`;
    d += `H${x(s.to)}`;
  });

  const lanesTop = LIMIT_TOP + LIMIT_H + 34;
  const lanes = numbers.map((n) => ({
    n,
    steps: toSteps(
      history.numbers.filter((p) => p.phoneNumberId === n.id).map((p) => ({ at: p.at, value: p.qualityRating })),
      start,
      end,
    ),
  }));
  const tickCount = span < 3_600_000 ? 2 : 5;
  const ticks = Array.from({ length: tickCount }, (_, i) => start + (i * span) / (tickCount - 1));

  const changes = [
    ...history.portfolio
      .filter((p) => p.at >= start)
      .map((p) => ({ at: p.at, what: t('chart.limitChange', { limit: t(`limit.${p.messagingLimit}`) }) })),
    ...history.numbers
      .filter((p) => p.at >= start)
      .map((p) => {
        const found = numbers.find((n) => n.id === p.phoneNumberId);
        const num = found ? formatPhone(found.displayPhoneNumber) : p.phoneNumberId;
        return {
          at: p.at,
          what: t('chart.qualityChange', { number: num, quality: t(`quality.${p.qualityRating}`), limit: t(`limit.${p.messagingLimit}`) }),
        };
      }),
  ].sort((a, b) => b.at - a.at);

  return (
    <figure className="chart" data-testid="health-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${titleId} ${descId}`} className="chart-svg">
        <title id={titleId}>{t('chart.title')}</title>
        <desc id={descId}>{t('chart.desc', { days, limit: t(`limit.${limitNow}`) })}</desc>
        {TIER_LADDER.map((tier, i) => (
          <g key={tier}>
            <line x1={x(start)} x2={x(end)} y1={levelY(i)} y2={levelY(i)} className="grid-line" />
            <text x={labelX} y={levelY(i) + 4} textAnchor={labelAnchor} className="axis-label">
              {t(`limitShort.${tier}`)}
            </text>
          </g>
        ))}
        <path d={d} className="limit-line" />
        {limitSteps.map((s, i) => (
          <circle
            key={i}
            cx={x(s.from)}
            cy={levelY(Math.max(0, tierIndex(s.value)))}
            r={i === 0 && s.from === start ? 0 : 4}
            className="limit-dot"
          />
        ))}
        <text x={labelX} y={lanesTop - 12} textAnchor={labelAnchor} className="axis-label strong">
          {t('chart.quality')}
        </text>
        {lanes.map(({ n, steps }, li) => {
          const y = lanesTop + li * (LANE_H + LANE_GAP);
          return (
            <g key={n.id}>
              <text x={labelX} y={y + LANE_H - 3} direction="ltr" textAnchor={rtl ? 'start' : 'end'} className="axis-label">
                {shortPhone(n.displayPhoneNumber)}
              </text>
              {steps.map((s, i) => {
                const x1 = x(s.from);
                const x2 = x(s.to);
                return (
                  <rect
                    key={i}
                    x={Math.min(x1, x2)}
                    y={y}
                    width={Math.max(1, Math.abs(x2 - x1))}
                    height={LANE_H}
                    rx={3}
                    className={QUALITY_CLASS[s.value]}
                  />
                );
              })}
            </g>
          );
        })}
        {ticks.map((tk, i) => (
          <text
            key={i}
            x={x(tk)}
            y={H - 6}
            textAnchor={i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle'}
            className="axis-label"
          >
            {i === ticks.length - 1 ? t('chart.now') : short ? f.time(tk) : f.date(tk)}
          </text>
        ))}
      </svg>
      {firstAt > end - days * DAY && (
        <p className="small muted" data-testid="chart-since">
          {t('chart.since', { when: f.dateTime(firstAt) })}
        </p>
      )}
      <figcaption className="chart-legend small muted">
        <span>
          <i className="swatch limit" aria-hidden />
          {t('chart.limitLegend')}
        </span>
        {(['GREEN', 'YELLOW', 'RED', 'UNKNOWN'] as const).map((q) => (
          <span key={q}>
            <i className={`swatch ${QUALITY_CLASS[q]}`} aria-hidden />
            {t(`quality.${q}`)}
          </span>
        ))}
      </figcaption>
      <details className="chart-changes small">
        <summary>{t('chart.changes', { n: changes.length })}</summary>
        {changes.length === 0 ? (
          <p className="muted">{t('chart.noChanges', { days })}</p>
        ) : (
          <ul>
            {changes.slice(0, 50).map((c, i) => (
              <li key={i}>
                <span className="muted">{f.dateTime(c.at)}</span> — {c.what}
              </li>
            ))}
          </ul>
        )}
      </details>
    </figure>
  );
}
