import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Download, Search, X } from 'lucide-react';
import { RECIPIENT_STATES, type RecipientRow, type RecipientState } from '../../../../shared/contract/campaigns';
import { api } from '../../../api/client';
import { useStore } from '../../../store';
import { RecipientStateBadge } from '../badges';
import { saveFile, useCampaignFormat } from '../format';
import type { CampaignReply } from '../../../../shared/contract/replies';
import { RepliesList, ReplyText } from './RepliesList';
import { errorText } from '../../../i18n/errorText';

const ROW = 44;
/** The state select's extra entry: not a ledger state, the "who replied" view. */
const REPLIED = '__replied';
const PAGE = 200;

export interface RecipientFilter {
  state: RecipientState | null;
  errorCode: number | null;
  search: string;
  /** Show only who replied, with what they wrote (RepliesList). */
  replied?: boolean;
}

function lastTime(r: RecipientRow): number | null {
  return r.read_at ?? r.delivered_at ?? r.failed_at ?? r.sent_at ?? r.accepted_at ?? r.claimed_at;
}

/**
 * Every recipient of the campaign, a page at a time (keyset on id) as the list scrolls; only the
 * visible rows are in the DOM, so 100,000 recipients scroll as smoothly as 100.
 */
export function RecipientsTable({
  id,
  filter,
  onFilter,
  version,
}: {
  id: string;
  filter: RecipientFilter;
  onFilter: (f: RecipientFilter) => void;
  version: number;
}) {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const toast = useStore((s) => s.toast);
  const [rows, setRows] = useState<RecipientRow[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  const [replies, setReplies] = useState<Map<number, CampaignReply[]>>(new Map());
  const loading = useRef(false);
  const scroller = useRef<HTMLDivElement>(null);
  const query = useCallback(
    (from: number, limit: number) =>
      api.call('campaigns:recipients', {
        id,
        limit,
        cursor: from,
        ...(filter.state ? { state: filter.state } : {}),
        ...(filter.errorCode !== null ? { error_code: filter.errorCode } : {}),
        ...(filter.search.trim()
          ? {
              search:
                filter.search
                  .trim()
                  .replace(/[^\d+]/g, '')
                  .slice(0, 40) || filter.search.trim(),
            }
          : {}),
      }),
    [id, filter],
  );

  // New filter: start over. Pushed updates: refresh what is loaded (same window, fresh states).
  useEffect(() => {
    let live = true;
    loading.current = true;
    void query(0, PAGE).then((r) => {
      loading.current = false;
      if (!live || !r.ok) return;
      setRows(r.value.rows);
      setTotal(r.value.total);
      setCursor(r.value.next_cursor);
    });
    scroller.current?.scrollTo({ top: 0 });
    return () => {
      live = false;
    };
  }, [query]);
  const loaded = useRef(0);
  loaded.current = rows.length;
  useEffect(() => {
    if (version === 0 || loaded.current === 0) return;
    let live = true;
    void query(0, Math.min(1000, Math.max(PAGE, loaded.current))).then((r) => {
      if (!live || !r.ok) return;
      setRows(r.value.rows);
      setTotal(r.value.total);
      setCursor(r.value.next_cursor);
    });
    return () => {
      live = false;
    };
  }, [version, query]);

  // What each loaded row's recipient wrote back (one call per loaded page, refreshed with the rows).
  useEffect(() => {
    if (!rows.length) return;
    let live = true;
    void api.call('campaigns:recipient-replies', { id, recipient_ids: rows.slice(-1000).map((r) => r.id) }).then((r) => {
      if (!live || !r.ok) return;
      const m = new Map<number, CampaignReply[]>();
      for (const x of r.value) m.set(x.recipient_id, [...(m.get(x.recipient_id) ?? []), x]);
      setReplies(m);
    });
    return () => {
      live = false;
    };
  }, [id, rows]);

  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 12 });
  const items = virtual.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1]!.index : 0;
  useEffect(() => {
    if (cursor === null || loading.current || lastIndex < rows.length - 40) return;
    loading.current = true;
    void query(cursor, PAGE).then((r) => {
      loading.current = false;
      if (!r.ok) return;
      setRows((prev) => [...prev, ...r.value.rows]);
      setCursor(r.value.next_cursor);
    });
  }, [lastIndex, cursor, rows.length, query]);

  const doExport = async (format: 'csv' | 'xlsx' | 'json') => {
    setExporting(format);
    const r = await api.call('campaigns:export', {
      id,
      format,
      ...(filter.state ? { state: [filter.state] } : {}),
      ...(filter.search.trim() ? { search: filter.search.trim() } : {}),
    });
    setExporting(null);
    if (!r.ok) return toast('error', errorText(r));
    saveFile(r.value);
    toast('success', t('recipients.exported', { count: r.value.rows, n: f.number(r.value.rows), file: r.value.fileName }));
  };

  return (
    <section className="card table-card" aria-labelledby="rcpt-title" data-testid="recipients">
      <div className="cmp-rcpt-head">
        <h2 id="rcpt-title">{t('recipients.title')}</h2>
        <div className="cmp-export" role="group" aria-label={t('recipients.export')}>
          <Download size={15} aria-hidden className="muted" />
          {(['csv', 'xlsx', 'json'] as const).map((k) => (
            <button key={k} className="btn" disabled={exporting !== null} onClick={() => void doExport(k)} data-testid={`export-${k}`}>
              {k.toUpperCase()}
            </button>
          ))}
        </div>
      </div>
      <div className="tpl-filters">
        <div className="tpl-search">
          <Search size={15} aria-hidden />
          <input
            className="input"
            type="search"
            dir="ltr"
            value={filter.search}
            onChange={(e) => onFilter({ ...filter, search: e.target.value })}
            placeholder={t('recipients.search')}
            aria-label={t('recipients.search')}
            data-testid="recipients-search"
          />
        </div>
        <select
          className="input"
          value={filter.replied ? REPLIED : (filter.state ?? '')}
          aria-label={t('recipients.stateFilter')}
          data-testid="recipients-state"
          onChange={(e) =>
            onFilter(
              e.target.value === REPLIED
                ? { ...filter, state: null, replied: true }
                : { ...filter, replied: false, state: (e.target.value || null) as RecipientState | null },
            )
          }
        >
          <option value="">{t('recipients.allStates')}</option>
          {RECIPIENT_STATES.map((s) => (
            <option key={s} value={s}>
              {t(`recipientState.${s}`)}
            </option>
          ))}
          <option value={REPLIED}>{t('replies.filter')}</option>
        </select>
        {filter.errorCode !== null && (
          <button
            className="badge red cmp-chip-x"
            onClick={() => onFilter({ ...filter, errorCode: null })}
            aria-label={t('recipients.clearCode')}
          >
            {t('recipients.code', { code: filter.errorCode })}
            <X size={12} aria-hidden />
          </button>
        )}
        <span className="small muted tpl-count" data-testid="recipients-count">
          {total === null ? '' : t('recipients.count', { count: total, n: f.number(total) })}
        </span>
      </div>
      {filter.replied ? (
        <RepliesList id={id} version={version} />
      ) : (
        <>
          <div className="cmp-rcpt-grid cmp-rcpt-header small" role="row">
            <span role="columnheader">{t('recipients.phone')}</span>
            <span role="columnheader">{t('recipients.name')}</span>
            <span role="columnheader">{t('recipients.state')}</span>
            <span role="columnheader">{t('recipients.error')}</span>
            <span role="columnheader">{t('recipients.attempts')}</span>
            <span role="columnheader">{t('recipients.updated')}</span>
            <span role="columnheader">{t('replies.column')}</span>
          </div>
          <div
            ref={scroller}
            className="cmp-rcpt-scroll"
            role="table"
            aria-label={t('recipients.title')}
            aria-rowcount={total ?? undefined}
            data-testid="recipients-table"
          >
            {total === 0 && <p className="muted small cmp-none">{t('recipients.none')}</p>}
            <div style={{ blockSize: virtual.getTotalSize(), position: 'relative' }}>
              {items.map((v) => {
                const r = rows[v.index]!;
                const when = lastTime(r);
                return (
                  <div
                    key={r.id}
                    role="row"
                    className="cmp-rcpt-grid cmp-rcpt-row"
                    data-testid="recipient-row"
                    data-state={r.state}
                    style={{
                      position: 'absolute',
                      insetInlineStart: 0,
                      insetInlineEnd: 0,
                      insetBlockStart: 0,
                      transform: `translateY(${v.start}px)`,
                      blockSize: ROW,
                    }}
                  >
                    <span role="cell" className="ltr mono">
                      {r.phone ?? t('recipients.erased')}
                    </span>
                    <span role="cell" className="cmp-rcpt-name" dir="auto" title={r.name ?? undefined} data-testid="recipient-name">
                      {r.name ?? ''}
                    </span>
                    <span role="cell">
                      <RecipientStateBadge state={r.state} />
                      {r.clicked_at ? (
                        <span
                          className="badge blue"
                          data-testid="recipient-clicked"
                          data-at={r.clicked_at}
                          title={f.dateTime(r.clicked_at)}
                        >
                          {t('pricing.clickedAt', { when: f.time(r.clicked_at) })}
                        </span>
                      ) : null}
                    </span>
                    <span
                      role="cell"
                      className="small cmp-rcpt-error"
                      title={r.error_detail ?? (r.skip_reason ? t(`skip.${r.skip_reason}`, { defaultValue: r.skip_reason }) : undefined)}
                    >
                      {r.error_code !== null ? <span className="mono">{r.error_code}</span> : null}
                      {r.skip_reason && (
                        <span className="muted" data-testid="recipient-skip" data-reason={r.skip_reason}>
                          {t(`skip.${r.skip_reason}`, { defaultValue: r.skip_reason })}
                        </span>
                      )}
                    </span>
                    <span role="cell" className="small num">
                      {r.attempts}
                    </span>
                    <span role="cell" className="small muted">
                      {when ? f.dateTime(when) : '—'}
                    </span>
                    <span
                      role="cell"
                      className="small"
                      title={(replies.get(r.id) ?? []).map((x) => x.text ?? x.payload ?? '').join('\n') || undefined}
                    >
                      {(() => {
                        const last = replies.get(r.id)?.at(-1);
                        return last ? <ReplyText r={last} /> : null;
                      })()}
                    </span>
                  </div>
                );
              })}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
