import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Repeat } from 'lucide-react';
import { useStore } from '../../../store';
import { previewRuns, repeatProblems, weekdayNames, weekOrder, type RepeatState } from '../repeat';
import type { BuilderState } from './draft';
import '../series.css';

const zones = (): string[] => {
  try {
    return (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? ['UTC'];
  } catch {
    return ['UTC'];
  }
};

/** Repeat: once, daily or weekly (weekday chips), the time, the zone and how it ends; the next occurrences. */
function RepeatFields({
  value,
  tz,
  zoneSelect,
  onChange,
}: {
  value: RepeatState;
  tz: string;
  zoneSelect: ReactNode;
  onChange: (r: RepeatState) => void;
}) {
  const { t } = useTranslation('campaigns');
  const language = useStore((s) => s.language);
  const names = useMemo(() => weekdayNames(language), [language]);
  const set = (patch: Partial<RepeatState>) => onChange({ ...value, ...patch });
  const runs = previewRuns(value, tz, Date.now());
  const fmt = useMemo(() => {
    try {
      return new Intl.DateTimeFormat(language, {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: tz,
      });
    } catch {
      return null;
    }
  }, [language, tz]);
  const problems = repeatProblems(value);
  return (
    <div className="cmp-repeat" data-testid="repeat-fields">
      <div className="field">
        <span className="label">{t('series.repeat')}</span>
        <div className="segmented" role="group" aria-label={t('series.repeat')}>
          {(['none', 'daily', 'weekly'] as const).map((k) => (
            <button type="button" key={k} aria-pressed={value.kind === k} onClick={() => set({ kind: k })} data-testid={`repeat-${k}`}>
              {t(`series.kind.${k}`)}
            </button>
          ))}
        </div>
      </div>
      {value.kind !== 'none' && (
        <>
          {value.kind === 'weekly' && (
            <div className="field">
              <span className="label" id="repeat-days-label">
                {t('series.days')}
              </span>
              <div className="cmp-chips" role="group" aria-labelledby="repeat-days-label">
                {weekOrder(language).map((d) => {
                  const on = value.days.includes(d);
                  return (
                    <button
                      type="button"
                      key={d}
                      className="cmp-chip"
                      aria-pressed={on}
                      data-testid={`repeat-day-${d}`}
                      onClick={() => set({ days: on ? value.days.filter((x) => x !== d) : [...value.days, d] })}
                    >
                      {names[d]}
                    </button>
                  );
                })}
              </div>
            </div>
          )}
          <div className="cmp-row">
            <div className="field">
              <label htmlFor="repeat-time">{t('series.time')}</label>
              <input
                id="repeat-time"
                type="time"
                className="input"
                dir="ltr"
                value={value.time}
                onChange={(e) => set({ time: e.target.value })}
                data-testid="repeat-time"
              />
            </div>
            {zoneSelect}
          </div>
          <div className="cmp-row">
            <div className="field">
              <span className="label">{t('series.end')}</span>
              <div className="segmented" role="group" aria-label={t('series.end')}>
                {(['never', 'until', 'count'] as const).map((k) => (
                  <button
                    type="button"
                    key={k}
                    aria-pressed={value.end === k}
                    onClick={() => set({ end: k })}
                    data-testid={`repeat-end-${k}`}
                  >
                    {t(`series.endKind.${k}`)}
                  </button>
                ))}
              </div>
            </div>
            {value.end === 'until' && (
              <div className="field">
                <label htmlFor="repeat-until">{t('series.untilLabel')}</label>
                <input
                  id="repeat-until"
                  type="date"
                  className="input"
                  dir="ltr"
                  value={value.until}
                  onChange={(e) => set({ until: e.target.value })}
                  data-testid="repeat-until"
                />
              </div>
            )}
            {value.end === 'count' && (
              <div className="field">
                <label htmlFor="repeat-count">{t('series.countLabel')}</label>
                <input
                  id="repeat-count"
                  type="number"
                  min={1}
                  max={10000}
                  className="input cmp-num"
                  value={value.count}
                  onChange={(e) => set({ count: Number(e.target.value) })}
                  data-testid="repeat-count"
                />
              </div>
            )}
          </div>
          <div className="cmp-repeat-next small" data-testid="repeat-next" aria-live="polite">
            <Repeat size={15} aria-hidden className="inline-icon" />
            {problems.length === 0 && runs.length > 0 && fmt ? (
              <span>
                {t('series.nextRuns')}:{' '}
                <span className="cmp-runs">
                  {runs.map((r) => (
                    <bdi key={r}>{fmt.format(r)}</bdi>
                  ))}
                </span>
              </span>
            ) : (
              <span className="muted">{problems.length ? t(`builder.invalid.${problems[0]}`) : t('series.noNext')}</span>
            )}
          </div>
          <p className="hint">{t('series.hint')}</p>
        </>
      )}
    </div>
  );
}

/** Now, at a date-time in a chosen zone, or within each recipient's local window; optional quiet hours; optional repeat. */
export function ScheduleSection({ value, onChange }: { value: BuilderState['schedule']; onChange: (s: BuilderState['schedule']) => void }) {
  const { t } = useTranslation('campaigns');
  const allZones = useMemo(zones, []);
  // Hundreds of zones: a search box narrows the list ("jeru", "taipei"); the chosen zone always stays in it.
  const [zoneQuery, setZoneQuery] = useState('');
  const shownZones = useMemo(() => {
    const q = zoneQuery.trim().toLowerCase().replace(/\s+/g, '_');
    const list = q ? allZones.filter((z) => z.toLowerCase().includes(q)) : allZones;
    return list.includes(value.tz) ? list : [value.tz, ...list];
  }, [allZones, zoneQuery, value.tz]);
  const set = (patch: Partial<BuilderState['schedule']>) => onChange({ ...value, ...patch });
  const repeating = value.repeat.kind !== 'none';
  // A series runs at its repeat time: "at a date and time" does not apply to it.
  const modes = repeating ? (['now', 'local_window'] as const) : (['now', 'at', 'local_window'] as const);
  const mode = repeating && value.mode === 'at' ? 'now' : value.mode;
  const zoneSelect = (
    <div className="field">
      <label htmlFor="cmp-tz">{t('schedule.timeZone')}</label>
      <input
        type="search"
        className="input"
        dir="ltr"
        value={zoneQuery}
        onChange={(e) => {
          setZoneQuery(e.target.value);
          const q = e.target.value.trim().toLowerCase().replace(/\s+/g, '_');
          const first = q ? allZones.find((z) => z.toLowerCase().includes(q)) : undefined;
          if (first) set({ tz: first });
        }}
        placeholder={t('schedule.zoneSearch')}
        aria-label={t('schedule.zoneSearch')}
        data-testid="schedule-tz-search"
      />
      <select
        id="cmp-tz"
        className="input"
        dir="ltr"
        value={value.tz}
        onChange={(e) => set({ tz: e.target.value })}
        data-testid="schedule-tz"
      >
        {shownZones.map((z) => (
          <option key={z} value={z}>
            {z}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div className="cmp-schedule">
      <RepeatFields
        value={value.repeat}
        tz={value.tz}
        zoneSelect={zoneSelect}
        onChange={(repeat) => set({ repeat, ...(repeat.kind !== 'none' && value.mode === 'at' ? { mode: 'now' as const } : {}) })}
      />
      {repeating && <span className="label">{t('series.eachSends')}</span>}
      <div className="segmented" role="group" aria-label={t('builder.schedule')}>
        {modes.map((m) => (
          <button type="button" key={m} aria-pressed={mode === m} onClick={() => set({ mode: m })} data-testid={`schedule-${m}`}>
            {t(repeating && m === 'now' ? 'series.atOnce' : `schedule.${m}`)}
          </button>
        ))}
      </div>
      {!repeating && mode !== 'now' && (
        <div className="cmp-row">
          <div className="field">
            <label htmlFor="cmp-at">{mode === 'at' ? t('schedule.startAt') : t('schedule.notBefore')}</label>
            <input
              id="cmp-at"
              type="datetime-local"
              className="input"
              dir="ltr"
              value={value.at}
              onChange={(e) => set({ at: e.target.value })}
              data-testid="schedule-at-input"
            />
          </div>
          {zoneSelect}
        </div>
      )}
      {mode === 'local_window' && (
        <div className="field">
          <span className="label">{t('schedule.window')}</span>
          <div className="cmp-row tight">
            <input
              type="time"
              className="input"
              dir="ltr"
              value={value.windowFrom}
              onChange={(e) => set({ windowFrom: e.target.value })}
              aria-label={t('schedule.from')}
            />
            <span aria-hidden>–</span>
            <input
              type="time"
              className="input"
              dir="ltr"
              value={value.windowTo}
              onChange={(e) => set({ windowTo: e.target.value })}
              aria-label={t('schedule.to')}
            />
          </div>
          <span className="hint">{t('schedule.windowHint')}</span>
        </div>
      )}
      <label className="cmp-check">
        <input type="checkbox" checked={value.quietOn} onChange={(e) => set({ quietOn: e.target.checked })} data-testid="quiet-hours" />
        {t('schedule.quiet')}
      </label>
      {value.quietOn && (
        <div className="cmp-row tight">
          <input
            type="time"
            className="input"
            dir="ltr"
            value={value.quietFrom}
            onChange={(e) => set({ quietFrom: e.target.value })}
            aria-label={t('schedule.quietFrom')}
          />
          <span aria-hidden>–</span>
          <input
            type="time"
            className="input"
            dir="ltr"
            value={value.quietTo}
            onChange={(e) => set({ quietTo: e.target.value })}
            aria-label={t('schedule.quietTo')}
          />
          <span className="hint">{mode === 'local_window' ? t('schedule.quietLocal') : t('schedule.quietZone', { tz: value.tz })}</span>
        </div>
      )}
    </div>
  );
}
