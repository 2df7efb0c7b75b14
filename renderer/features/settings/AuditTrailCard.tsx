import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Download } from 'lucide-react';
import { AUDIT_ACTIONS, type AuditEntry, type AuditFilter } from '../../../shared/contract/privacy';
import { api } from '../../api/client';
import { useStore } from '../../store';
import { downloadFile, isolate, useFormat } from '../contacts/format';
import { AuditSubject, useAuditCampaigns } from './AuditSubject';

const PAGE = 50;
const KNOWN = new Set<string>(AUDIT_ACTIONS);
const ACTORS = new Set(['user', 'cli', 'webhook', 'system']);
type Obj = Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** A local date input (YYYY-MM-DD) → the start or end of that day in ms. */
function dayBound(v: string, end: boolean): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
  const [y, m, d] = v.split('-').map(Number) as [number, number, number];
  return end ? new Date(y, m - 1, d, 23, 59, 59, 999).getTime() : new Date(y, m - 1, d).getTime();
}

/**
 * Settings → Audit trail: who did what to people's data and messages (imports, consent changes,
 * opt-outs, erasures, exports, campaign and account actions), filterable and exportable as CSV.
 * Details are rendered from their fields in the UI language, never shown as raw JSON.
 */
export function AuditTrailCard() {
  const { t } = useTranslation('settings');
  const { t: tc } = useTranslation('contacts');
  const f = useFormat();
  const toast = useStore((s) => s.toast);
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const [page, setPage] = useState(0);
  const [data, setData] = useState<{ total: number; rows: AuditEntry[] } | null>(null);
  const [failed, setFailed] = useState(false);
  useAuditCampaigns();

  const filter = useCallback(
    (): AuditFilter => ({
      ...(action ? { actions: [action] } : {}),
      ...(dayBound(from, false) !== undefined ? { from: dayBound(from, false) } : {}),
      ...(dayBound(to, true) !== undefined ? { to: dayBound(to, true) } : {}),
      ...(text.trim() ? { text: text.trim() } : {}),
    }),
    [action, from, to, text],
  );

  const load = useCallback(async () => {
    const r = await api.call('audit:list', { ...filter(), limit: PAGE, offset: page * PAGE });
    if (r.ok) setData(r.value);
    setFailed(!r.ok);
  }, [filter, page]);
  useEffect(() => {
    const h = setTimeout(() => void load(), 150);
    return () => clearTimeout(h);
  }, [load]);

  const exportCsv = async () => {
    const r = await api.call('audit:export', { ...filter(), format: 'csv' });
    if (!r.ok) return toast('error', t('audit.exportFailed'));
    downloadFile(r.value.fileName, r.value.content, 'text/csv;charset=utf-8');
    void load();
  };

  // Action names hold dots, i18next's key separator: their keys use '_' instead.
  const actionLabel = (a: string) => (KNOWN.has(a) ? t(`audit.actions.${a.replace('.', '_')}`) : t('audit.actions.other'));
  const actorLabel = (a: string) => (ACTORS.has(a) ? t(`audit.actors.${a}`) : t('audit.actors.other'));
  const summary = (e: AuditEntry): string => {
    const d = e.detail as Obj;
    switch (e.action) {
      case 'contacts.imported': {
        const c = (d.counts ?? {}) as Obj;
        return t('audit.summary.imported', { imported: f.n(num(c.imported)), updated: f.n(num(c.updated)), invalid: f.n(num(c.invalid)) });
      }
      case 'consent.opted_in':
      case 'consent.opted_out':
        return t('audit.summary.consent', {
          category: ['marketing', 'utility'].includes(str(d.category)) ? tc(`consent.category.${str(d.category)}`) : '',
          source: ['import', 'manual', 'keyword', 'button', 'meta_preference', 'error_131050'].includes(str(d.source))
            ? tc(`consent.source.${str(d.source)}`)
            : '',
        });
      case 'contact.erased':
        return d.bulk_delete ? t('audit.summary.bulkDelete') : t('audit.summary.erased');
      case 'contact.erasure_lifted':
        return t('audit.summary.lifted', { reason: isolate(str(d.reason)) });
      case 'contacts.exported':
      case 'campaigns.exported':
      case 'audit.exported':
        return t('audit.summary.exported', { count: num(d.rows), n: f.n(num(d.rows)), format: str(d.format).toUpperCase() });
      // campaign.started / paused / resumed / cancelled: the "About" cell names the campaign (AuditSubject).
      case 'campaign.resent':
        return t('audit.summary.resent', { count: num(d.requeued), n: f.n(num(d.requeued)) });
      case 'account.connected':
        return t(d.mode === 'sandbox' ? 'audit.summary.sandbox' : 'audit.summary.live', { origin: isolate(str(d.graph_origin)) });
      case 'account.disconnected':
        return d.forget_secrets ? t('audit.summary.forgotSecrets') : '';
      case 'retention.pruned':
        return t('audit.summary.pruned', { count: num(d.deleted), n: f.n(num(d.deleted)), days: f.n(num(d.days)) });
      case 'backups.removed':
        return t('audit.summary.backupsRemoved', { count: num(d.files), n: f.n(num(d.files)) });
      default:
        return '';
    }
  };

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE)) : 1;
  return (
    <section className="card" aria-labelledby="audit-trail" data-testid="settings-audit">
      <div className="card-title">
        <h2 id="audit-trail">{t('audit.title')}</h2>
        <button className="btn" onClick={() => void exportCsv()} data-testid="audit-export">
          <Download size={16} aria-hidden />
          {t('audit.export')}
        </button>
      </div>
      <p className="small muted">{t('audit.body')}</p>
      <div className="grid cols-2" style={{ gridTemplateColumns: 'repeat(4, minmax(0, 1fr))' }}>
        <div className="field">
          <label htmlFor="audit-action">{t('audit.filter.action')}</label>
          <select
            id="audit-action"
            className="input"
            value={action}
            onChange={(e) => {
              setAction(e.target.value);
              setPage(0);
            }}
            data-testid="audit-action"
          >
            <option value="">{t('audit.filter.allActions')}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionLabel(a)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">{t('audit.filter.from')}</label>
          <input
            id="audit-from"
            className="input"
            type="date"
            value={from}
            onChange={(e) => {
              setFrom(e.target.value);
              setPage(0);
            }}
            data-testid="audit-from"
          />
        </div>
        <div className="field">
          <label htmlFor="audit-to">{t('audit.filter.to')}</label>
          <input
            id="audit-to"
            className="input"
            type="date"
            value={to}
            onChange={(e) => {
              setTo(e.target.value);
              setPage(0);
            }}
            data-testid="audit-to"
          />
        </div>
        <div className="field">
          <label htmlFor="audit-text">{t('audit.filter.text')}</label>
          <input
            id="audit-text"
            className="input"
            type="search"
            value={text}
            placeholder={t('audit.filter.textPlaceholder')}
            onChange={(e) => {
              setText(e.target.value);
              setPage(0);
            }}
            data-testid="audit-text"
          />
        </div>
      </div>
      {failed && (
        <p className="small" role="alert">
          {t('audit.loadFailed')}
        </p>
      )}
      {data && data.rows.length === 0 && (
        <p className="muted" data-testid="audit-empty">
          {t('audit.empty')}
        </p>
      )}
      {data && data.rows.length > 0 && (
        <div className="table-scroll">
          <table className="table compact" data-testid="audit-table">
            <thead>
              <tr>
                <th>{t('audit.col.at')}</th>
                <th>{t('audit.col.action')}</th>
                <th>{t('audit.col.actor')}</th>
                <th>{t('audit.col.subject')}</th>
                <th>{t('audit.col.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((e) => (
                <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                  <td className="nowrap">{f.time(e.at)}</td>
                  <td>{actionLabel(e.action)}</td>
                  <td>{actorLabel(e.actor)}</td>
                  <AuditSubject entry={e} />
                  <td>{summary(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.total > PAGE && (
        <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginTop: 8 }}>
          <button className="btn" disabled={page === 0} onClick={() => setPage(page - 1)} data-testid="audit-prev">
            {t('audit.prev')}
          </button>
          <span className="small">{t('audit.page', { page: f.n(page + 1), pages: f.n(pages) })}</span>
          <button className="btn" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)} data-testid="audit-next">
            {t('audit.next')}
          </button>
        </div>
      )}
      {data && (
        <p className="small muted" data-testid="audit-total">
          {t('audit.total', { count: data.total, n: f.n(data.total) })}
        </p>
      )}
    </section>
  );
}
