/**
 * "Deliver only within" for a marketing campaign (issue #13): recipients not sent within this of the
 * start are skipped (shown as "not sent within the time-to-live"), so a flash offer does not go out
 * late. 5 minutes to 30 days (shared/message-ttl.ts); the plan shows how many may miss it.
 */
import { useTranslation } from 'react-i18next';
import { TTL_UNITS, type TtlUnit } from './ttl';

export function TtlField(props: {
  on: boolean;
  value: number;
  unit: TtlUnit;
  onChange: (p: { ttlOn?: boolean; ttlValue?: number; ttlUnit?: TtlUnit }) => void;
}) {
  const { t } = useTranslation('campaigns');
  const { on, value, unit, onChange } = props;
  return (
    <>
      <label className="cmp-check">
        <input type="checkbox" checked={on} onChange={(e) => onChange({ ttlOn: e.target.checked })} data-testid="ttl-on" />
        {t('builder.ttl')}
      </label>
      {on && (
        <div className="cmp-row tight" data-testid="ttl-row">
          <span>{t('builder.ttlWithin')}</span>
          <input
            className="input narrow"
            type="number"
            min={1}
            max={unit === 'minute' ? 43_200 : unit === 'hour' ? 720 : 30}
            value={value}
            onChange={(e) => onChange({ ttlValue: Number(e.target.value) })}
            aria-label={t('builder.ttlValue')}
            data-testid="ttl-value"
          />
          <select
            className="input narrow"
            value={unit}
            onChange={(e) => onChange({ ttlUnit: e.target.value as TtlUnit })}
            aria-label={t('builder.ttlUnitLabel')}
            data-testid="ttl-unit"
          >
            {TTL_UNITS.map((u) => (
              <option key={u} value={u}>
                {t(`builder.ttlUnit.${u}`)}
              </option>
            ))}
          </select>
          <span className="hint">{t('builder.ttlHint')}</span>
        </div>
      )}
    </>
  );
}
