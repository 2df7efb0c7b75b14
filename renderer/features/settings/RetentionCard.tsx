import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RetentionStatus } from '../../../shared/contract/privacy';
import { api } from '../../api/client';
import { useStore } from '../../store';
import { useFormat } from '../contacts/format';

/**
 * Settings → Privacy: how long raw webhook bodies (replies, numbers, names as Meta sent them) are
 * kept. The core prunes at start and daily (privacy/retention.ts); "Prune now" runs it at once.
 */
export function RetentionCard() {
  const { t } = useTranslation('settings');
  const f = useFormat();
  const days = useStore((s) => s.settings?.webhookRetentionDays ?? 30);
  const update = useStore((s) => s.updateSettings);
  const [draft, setDraft] = useState(String(days));
  const [status, setStatus] = useState<RetentionStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  const load = useCallback(async () => {
    const r = await api.call('retention:status', {});
    if (r.ok) setStatus(r.value);
    setFailed(!r.ok);
  }, []);
  useEffect(() => void load(), [load, days]);
  useEffect(() => setDraft(String(days)), [days]);

  const n = Number(draft);
  const valid = Number.isInteger(n) && n >= 1 && n <= 3650;
  const save = async () => {
    if (!valid || n === days) return;
    await update({ webhookRetentionDays: n });
  };
  const pruneNow = async () => {
    setBusy(true);
    const r = await api.call('retention:prune', {});
    setBusy(false);
    if (r.ok) setStatus(r.value);
    setFailed(!r.ok);
  };

  return (
    <section className="card" aria-labelledby="privacy-retention" data-testid="settings-retention">
      <h2 id="privacy-retention">{t('retention.title')}</h2>
      <p className="small muted">{t('retention.body')}</p>
      <div className="field">
        <label htmlFor="retention-days">{t('retention.label')}</label>
        <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
          <input
            id="retention-days"
            className="input"
            type="number"
            min={1}
            max={3650}
            inputMode="numeric"
            style={{ width: '8em' }}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            aria-invalid={!valid}
            data-testid="retention-days"
          />
          <span>{t('retention.days', { count: valid ? n : days })}</span>
          <button className="btn" disabled={!valid || n === days} onClick={() => void save()} data-testid="retention-save">
            {t('retention.save')}
          </button>
        </div>
        <span className="hint">{valid ? t('retention.hint') : t('retention.invalid')}</span>
      </div>
      {status && (
        <dl className="kv" data-testid="retention-status">
          <dt>{t('retention.held')}</dt>
          <dd>
            {status.inbox_rows
              ? t('retention.heldValue', { count: status.inbox_rows, n: f.n(status.inbox_rows), oldest: f.time(status.oldest_at ?? 0) })
              : t('retention.none')}
          </dd>
          <dt>{t('retention.lastRun')}</dt>
          <dd data-testid="retention-last-run">
            {status.last_run
              ? t('retention.lastRunValue', {
                  count: status.last_run.deleted,
                  n: f.n(status.last_run.deleted),
                  at: f.time(status.last_run.at),
                })
              : t('retention.never')}
          </dd>
        </dl>
      )}
      {failed && (
        <p className="small" role="alert">
          {t('retention.loadFailed')}
        </p>
      )}
      <button className="btn" onClick={() => void pruneNow()} disabled={busy} data-testid="retention-prune">
        {t('retention.pruneNow')}
      </button>
    </section>
  );
}
