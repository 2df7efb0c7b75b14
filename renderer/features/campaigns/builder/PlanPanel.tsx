import { useState } from 'react';
import { CardName } from '../pricing/CardName';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { AlertTriangle, Loader2 } from 'lucide-react';
import {
  EXCLUSION_REASONS,
  type CampaignPlan,
  type ExclusionReason,
  type ForecastWindow,
  type PlanBlocker,
} from '../../../../shared/contract/campaigns';
import { api } from '../../../api/client';
import { useCampaignFormat, useZonedFormat } from '../format';
import { TtlLine } from './TtlLine';
import { errorText } from '../../../i18n/errorText';

/** Bidi isolation for names inside a translated sentence (a template name inside Hebrew text). */
const isolate = (value: string) => `\u2068${value}\u2069`;

/**
 * A plan blocker in the UI language, from its code and params (the core's English `message` is
 * for the CLI: the renderer never reads it).
 */
export function blockerText(t: TFunction<'campaigns'>, b: PlanBlocker): string {
  switch (b.code) {
    case 'template_missing':
      return t('plan.blocker.template_missing', { template: isolate(b.params.template), language: isolate(b.params.language) });
    case 'template_not_approved': {
      const why = t(`builder.whyNot.${b.params.status}`, { defaultValue: t('builder.whyNot.other', { status: b.params.status }) });
      return t('plan.blocker.template_not_approved', { template: isolate(b.params.template), why });
    }
    case 'param_unknown':
      return t('plan.blocker.param_unknown', { parameter: isolate(b.params.parameter), known: isolate(b.params.known || '—') });
    case 'param_unmapped':
      return t('plan.blocker.param_unmapped', { parameter: isolate(b.params.parameter) });
    case 'param_source_invalid':
      return t('plan.blocker.param_source_invalid', { parameter: isolate(b.params.parameter) });
    case 'header_media_expired':
      return t('plan.blocker.header_media_expired', { days: b.params.days });
    case 'account_blocked':
      return t('plan.blocker.account_blocked', { reason: t(`account:blockers.${b.params.blocker}`, { defaultValue: b.params.blocker }) });
    case 'header_media_required':
    case 'header_media_kind':
    case 'nobody_eligible':
      return t(`plan.blocker.${b.code}`);
  }
}

/**
 * Forecast windows grouped by calendar day in the schedule's zone `tz` (this computer's when none):
 * "2,000 today from 09:12", "1,400 tomorrow from 09:12", with the zone named under the list.
 */
export function ForecastTimeline({
  windows,
  testid = 'plan-forecast',
  tz,
}: {
  windows: ForecastWindow[];
  testid?: string;
  tz?: string | null;
}) {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const z = useZonedFormat(tz);
  const today = z.dayKey(Date.now());
  const tomorrow = z.nextDayKey(today);
  const days = new Map<string, { sends: number; from: number; to: number }>();
  for (const w of windows) {
    const from = Date.parse(w.from);
    const to = Date.parse(w.to);
    const k = z.dayKey(from);
    const d = days.get(k);
    if (d) {
      d.sends += w.sends;
      d.to = Math.max(d.to, to);
    } else days.set(k, { sends: w.sends, from, to });
  }
  const rows = [...days.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const max = Math.max(1, ...rows.map(([, d]) => d.sends));
  if (rows.length === 0) return <p className="small muted">{t('plan.nothingToSend')}</p>;
  return (
    <>
      <ol className="cmp-forecast" data-testid={testid} data-tz={z.zone}>
        {rows.map(([k, d]) => {
          const dayLabel = k === today ? t('plan.today') : k === tomorrow ? t('plan.tomorrow') : z.day(d.from);
          return (
            <li key={k}>
              <span className="cmp-forecast-text" data-testid="forecast-line" data-from={d.from}>
                {t('plan.forecastLine', { count: d.sends, sends: f.number(d.sends), day: dayLabel, time: z.time(d.from) })}
              </span>
              <span className="cmp-forecast-bar" aria-hidden>
                <span style={{ inlineSize: `${(100 * d.sends) / max}%` }} />
              </span>
            </li>
          );
        })}
      </ol>
      <p className="small muted" data-testid={`${testid}-zone`}>
        {t('plan.timesIn')}{' '}
        <bdi dir="ltr" translate="no">
          {z.zone}
        </bdi>
      </p>
    </>
  );
}

/**
 * Over the 24-hour limit: says how the recipients split ("2,725 recipients: 1,800 today, 925
 * tomorrow from 18:07", from the plan's forecast by local day) and offers the choice — send over
 * days as the budget frees, or only the part the budget allows now (the rest is skipped as
 * over the limit, options.today_only).
 */
export function OverLimitChoice({
  plan,
  todayOnly,
  onChange,
  tz,
}: {
  plan: CampaignPlan;
  todayOnly: boolean;
  onChange: (v: boolean) => void;
  tz?: string | null;
}) {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const z = useZonedFormat(tz);
  const now = plan.budget.available_now;
  if (now === null || plan.eligible <= now || plan.forecast.length < 2) return null;
  const today = z.dayKey(Date.now());
  const tomorrow = z.nextDayKey(today);
  const days = new Map<string, { sends: number; from: number }>();
  for (const w of plan.forecast) {
    const from = Date.parse(w.from);
    const k = z.dayKey(from);
    const d = days.get(k);
    if (d) d.sends += w.sends;
    else days.set(k, { sends: w.sends, from });
  }
  const parts = [...days.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([k, d], i) => {
      const day = k === today ? t('plan.today') : k === tomorrow ? t('plan.tomorrow') : z.day(d.from);
      return i === 0 && k === today
        ? t('overLimit.partToday', { n: f.number(d.sends) })
        : t('overLimit.partLater', { n: f.number(d.sends), day, time: z.time(d.from) });
    });
  return (
    <div className="banner info small cmp-over-limit" data-testid="over-limit">
      <div>
        <strong data-testid="over-limit-summary">
          {t('overLimit.summary', { total: f.number(plan.eligible), parts: parts.join(t('overLimit.separator')) })}
        </strong>
        <div role="radiogroup" aria-label={t('overLimit.choice')} className="cmp-over-limit-choice">
          <label>
            <input type="radio" name="over-limit" checked={!todayOnly} onChange={() => onChange(false)} data-testid="over-limit-days" />
            {t('overLimit.overDays')}
          </label>
          <label>
            <input type="radio" name="over-limit" checked={todayOnly} onChange={() => onChange(true)} data-testid="over-limit-today" />
            {t('overLimit.todayOnly', { n: f.number(now), rest: f.number(plan.eligible - now) })}
          </label>
        </div>
      </div>
    </div>
  );
}

function ExclusionList({ id, reason }: { id: string; reason: ExclusionReason }) {
  const { t } = useTranslation('campaigns');
  const [rows, setRows] = useState<{ phone: string; detail: string | null }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (rows === null && error === null) {
    void api.call('campaigns:exclusions', { id, reason, limit: 50 }).then((r) => (r.ok ? setRows(r.value.rows) : setError(errorText(r))));
  }
  if (error) return <p className="small cmp-error">{error}</p>;
  if (!rows) return <p className="small muted">{t('loading')}</p>;
  return (
    <ul className="cmp-excl-list small" data-testid={`exclusions-${reason}`}>
      {rows.map((r, i) => (
        <li key={i}>
          <span className="ltr mono">{r.phone}</span>
          {r.detail && <span className="muted"> — {r.detail}</span>}
        </li>
      ))}
    </ul>
  );
}

/**
 * The plan, live: eligible count with every exclusion counted, the capacity forecast against the
 * moving-24-hour limit, the finish and cost estimates, the reserve margin and the shared-budget warning.
 */
export function PlanPanel({
  plan,
  loading,
  error,
  marginPct,
  onMargin,
  savedId,
  todayOnly,
  onTodayOnly,
  tz,
}: {
  plan: CampaignPlan | null;
  loading: boolean;
  error: string | null;
  marginPct: number;
  onMargin: (pct: number) => void;
  savedId: string | null;
  todayOnly?: boolean;
  onTodayOnly?: (v: boolean) => void;
  /** The schedule's time zone: forecast and finish times are shown in it. */
  tz?: string | null;
}) {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const z = useZonedFormat(tz);
  const [open, setOpen] = useState<ExclusionReason | null>(null);
  const excludedTotal = plan ? EXCLUSION_REASONS.reduce((s, k) => s + plan.excluded[k], 0) : 0;
  const unchecked = !!plan && plan.checked === false && plan.audience > 0;
  return (
    <section className="card cmp-plan" aria-labelledby="plan-title" data-testid="plan-panel" aria-busy={loading}>
      <div className="card-title">
        <h2 id="plan-title">{t('plan.title')}</h2>
        {loading && <Loader2 size={16} className="cmp-spin" aria-label={t('plan.updating')} />}
      </div>
      {error && (
        <div className="banner error small" role="alert">
          {error}
        </div>
      )}
      {!plan && !error && <p className="muted small">{t('plan.chooseFirst')}</p>}
      {plan && (
        <>
          <div className="cmp-plan-head">
            {/* Not checked yet (the message is incomplete): "0 will receive it" with nobody excluded would contradict itself. */}
            <div data-checked={unchecked ? 'false' : 'true'}>
              <span className="stat" data-testid="plan-eligible">
                {unchecked ? '—' : f.number(plan.eligible)}
              </span>
              <span className="muted small">
                {unchecked ? t('plan.notChecked') : t('plan.eligibleOf', { audience: f.number(plan.audience) })}
              </span>
            </div>
            <span className="small muted" data-testid="plan-audience" data-value={plan.audience}>
              {t('plan.audience', { count: plan.audience, n: f.number(plan.audience) })}
            </span>
          </div>
          <div hidden={unchecked}>
            <h3 className="cmp-sub">{t('plan.excludedTitle', { n: f.number(excludedTotal) })}</h3>
            <ul className="cmp-excl" data-testid="plan-exclusions">
              {EXCLUSION_REASONS.map((k) => (
                <li key={k} data-reason={k} data-count={plan.excluded[k]} className={plan.excluded[k] ? 'has' : ''}>
                  {plan.excluded[k] > 0 && savedId ? (
                    <button type="button" className="row-link" aria-expanded={open === k} onClick={() => setOpen(open === k ? null : k)}>
                      {t(`exclusion.${k}`)}
                    </button>
                  ) : (
                    <span>{t(`exclusion.${k}`)}</span>
                  )}
                  <span className="num">{f.number(plan.excluded[k])}</span>
                  {open === k && savedId && <ExclusionList id={savedId} reason={k} />}
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h3 className="cmp-sub">{t('plan.capacity')}</h3>
            <dl className="kv small">
              <dt>{t('plan.limit')}</dt>
              <dd data-testid="plan-limit">
                {plan.budget.limit === null ? t('plan.unlimited') : t('plan.perDay', { n: f.number(plan.budget.limit) })}
              </dd>
              <dt>{t('plan.used24h')}</dt>
              <dd>{f.number(plan.budget.used_24h)}</dd>
              <dt>{t('plan.availableNow')}</dt>
              <dd>{plan.budget.available_now === null ? t('plan.unlimited') : f.number(plan.budget.available_now)}</dd>
              <dt>{t('plan.throughput')}</dt>
              <dd>{t('plan.perSecond', { n: f.number(plan.throughput) })}</dd>
            </dl>
            <div className="field cmp-margin">
              <label htmlFor="cmp-margin">{t('plan.margin', { pct: marginPct })}</label>
              <input
                id="cmp-margin"
                type="range"
                min={0}
                max={50}
                step={1}
                value={marginPct}
                onChange={(e) => onMargin(Number(e.target.value))}
                data-testid="plan-margin"
              />
              <span className="hint">{t('plan.marginHint')}</span>
            </div>
            <div className="banner warn small" data-testid="plan-shared-warning">
              <AlertTriangle size={16} aria-hidden className="flex-none" />
              <span>{t('plan.sharedWarning')}</span>
            </div>
          </div>
          <div>
            <h3 className="cmp-sub">{t('plan.whenTitle')}</h3>
            <ForecastTimeline windows={plan.forecast} tz={tz} />
            {onTodayOnly && <OverLimitChoice plan={plan} todayOnly={!!todayOnly} onChange={onTodayOnly} tz={tz} />}
            <p className="small" data-testid="plan-finish">
              {plan.finish_estimate ? t('plan.finish', { when: z.dateTime(Date.parse(plan.finish_estimate)) }) : t('plan.finishUnknown')}
            </p>
            {plan.ttl && <TtlLine ttl={plan.ttl} />}
          </div>
          <div>
            <h3 className="cmp-sub">
              {t('plan.costTitle')} <span className="badge">{t('plan.estimate')}</span>
            </h3>
            <p className="small" data-testid="plan-cost">
              {plan.cost_estimate.amount !== null && plan.cost_estimate.currency
                ? t('plan.cost', { amount: f.money(plan.cost_estimate.amount, plan.cost_estimate.currency) })
                : t('plan.costUnknown')}
            </p>
            {plan.cost_estimate.unpriced > 0 && (
              <p className="small muted">
                {t('plan.unpriced', {
                  count: plan.cost_estimate.unpriced,
                  n: f.number(plan.cost_estimate.unpriced),
                  countries: plan.cost_estimate.missing_countries.join(', '),
                })}
              </p>
            )}
            {plan.cost_estimate.card && (
              <p className="small muted" data-testid="plan-card">
                {t('pricing.estimateCard')} <CardName card={plan.cost_estimate.card} />
                {plan.cost_estimate.card.rates === 0 && <> · {t('pricing.cardEmpty')}</>}
              </p>
            )}
            <p className="small muted">{t('plan.costNote')}</p>
          </div>
          {plan.blockers.length > 0 && (
            <div className="banner error small" data-testid="plan-blockers">
              <div>
                <strong>{t('plan.blockers')}</strong>
                <ul className="cmp-blockers">
                  {plan.blockers.map((b, i) => (
                    <li key={`${b.code}-${i}`} data-code={b.code}>
                      {blockerText(t, b)}
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}
