/**
 * "Deliver only within" on a MARKETING template (issue #13): Meta's message time-to-live,
 * `message_send_ttl_seconds` in the create request (reference §2.4), honoured for marketing sent
 * through the Marketing Messages API (§11). Meta allows 12 hours to 30 days (default 30 days;
 * shared/message-ttl.ts, docs/whatsapp.md); off = Meta's default.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MARKETING_TTL_MAX_S, MARKETING_TTL_MIN_S } from '../../../../shared/message-ttl';

type Unit = 'hour' | 'day';
const UNIT_S: Record<Unit, number> = { hour: 3600, day: 86_400 };

export function TemplateTtlField({ seconds, onChange }: { seconds: number | undefined; onChange: (s: number | undefined) => void }) {
  const { t } = useTranslation('templates');
  const on = seconds !== undefined;
  // The unit is the user's choice; a saved TTL opens in days when it is whole days.
  const [unit, setUnit] = useState<Unit>(on && seconds % 86_400 === 0 ? 'day' : 'hour');
  const value = on ? Math.round((seconds / UNIT_S[unit]) * 100) / 100 : 0;
  return (
    <fieldset className="field" data-testid="editor-ttl">
      <legend>{t('editor.ttl.title')}</legend>
      <label className="cmp-check">
        <input
          type="checkbox"
          checked={on}
          onChange={(e) => onChange(e.target.checked ? MARKETING_TTL_MIN_S * 2 : undefined)}
          data-testid="editor-ttl-on"
        />
        {t('editor.ttl.on')}
      </label>
      {on && (
        <div className="cmp-row tight">
          <input
            className="input narrow"
            type="number"
            min={unit === 'day' ? 1 : MARKETING_TTL_MIN_S / 3600}
            max={unit === 'day' ? MARKETING_TTL_MAX_S / 86_400 : MARKETING_TTL_MAX_S / 3600}
            value={value}
            onChange={(e) => onChange(Math.round(Number(e.target.value) * UNIT_S[unit]))}
            aria-label={t('editor.ttl.value')}
            data-testid="editor-ttl-value"
          />
          <select
            className="input narrow"
            value={unit}
            onChange={(e) => setUnit(e.target.value as Unit)}
            aria-label={t('editor.ttl.unit')}
            data-testid="editor-ttl-unit"
          >
            {(['hour', 'day'] as const).map((u) => (
              <option key={u} value={u}>
                {t(`editor.ttl.units.${u}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      <small className="muted">{t('editor.ttl.hint')}</small>
    </fieldset>
  );
}
