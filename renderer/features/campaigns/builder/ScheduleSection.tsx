import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { BuilderState } from './draft';

const zones = (): string[] => {
  try {
    return (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? ['UTC'];
  } catch {
    return ['UTC'];
  }
};

/** Now, at a date-time in a chosen zone, or within each recipient's local window; optional quiet hours. */
export function ScheduleSection({ value, onChange }: { value: BuilderState['schedule']; onChange: (s: BuilderState['schedule']) => void }) {
  const { t } = useTranslation('campaigns');
  const allZones = useMemo(zones, []);
  const set = (patch: Partial<BuilderState['schedule']>) => onChange({ ...value, ...patch });
  return (
    <div className="cmp-schedule">
      <div className="segmented" role="group" aria-label={t('builder.schedule')}>
        {(['now', 'at', 'local_window'] as const).map((m) => (
          <button type="button" key={m} aria-pressed={value.mode === m} onClick={() => set({ mode: m })} data-testid={`schedule-${m}`}>{t(`schedule.${m}`)}</button>
        ))}
      </div>
      {value.mode !== 'now' && (
        <div className="cmp-row">
          <div className="field">
            <label htmlFor="cmp-at">{value.mode === 'at' ? t('schedule.startAt') : t('schedule.notBefore')}</label>
            <input id="cmp-at" type="datetime-local" className="input" dir="ltr" value={value.at} onChange={(e) => set({ at: e.target.value })} data-testid="schedule-at-input" />
          </div>
          <div className="field">
            <label htmlFor="cmp-tz">{t('schedule.timeZone')}</label>
            <select id="cmp-tz" className="input" dir="ltr" value={value.tz} onChange={(e) => set({ tz: e.target.value })}>
              {(allZones.includes(value.tz) ? allZones : [value.tz, ...allZones]).map((z) => <option key={z} value={z}>{z}</option>)}
            </select>
          </div>
        </div>
      )}
      {value.mode === 'local_window' && (
        <div className="field">
          <span className="label">{t('schedule.window')}</span>
          <div className="cmp-row tight">
            <input type="time" className="input" dir="ltr" value={value.windowFrom} onChange={(e) => set({ windowFrom: e.target.value })} aria-label={t('schedule.from')} />
            <span aria-hidden>–</span>
            <input type="time" className="input" dir="ltr" value={value.windowTo} onChange={(e) => set({ windowTo: e.target.value })} aria-label={t('schedule.to')} />
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
          <input type="time" className="input" dir="ltr" value={value.quietFrom} onChange={(e) => set({ quietFrom: e.target.value })} aria-label={t('schedule.quietFrom')} />
          <span aria-hidden>–</span>
          <input type="time" className="input" dir="ltr" value={value.quietTo} onChange={(e) => set({ quietTo: e.target.value })} aria-label={t('schedule.quietTo')} />
          <span className="hint">{value.mode === 'local_window' ? t('schedule.quietLocal') : t('schedule.quietZone', { tz: value.tz })}</span>
        </div>
      )}
    </div>
  );
}
