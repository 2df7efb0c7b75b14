import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import type { ContactRow } from '../../../../shared/contract/contacts';
import { useStore } from '../../../store';
import { ConsentBadge } from '../ConsentBadge';
import { CountryLabel } from '../CountryLabel';
import type { RowWindows } from './rowWindows';
import { ScaledScroller } from './scaledScroller';

export const ROW_HEIGHT = 40;
const HEADER_HEIGHT = 38;

/** A ResizeObserver on the real element (the virtualizer would otherwise observe the stand-in). */
function observeRect(instance: Virtualizer<Element, Element>, cb: (rect: { width: number; height: number }) => void) {
  const el = (instance.scrollElement as unknown as ScaledScroller | null)?.el;
  if (!el) return;
  const report = () => cb({ width: el.clientWidth, height: el.clientHeight });
  report();
  const ro = new ResizeObserver(report);
  ro.observe(el);
  return () => ro.disconnect();
}

/**
 * The contacts table: a virtualised grid over `total` rows of which only the visible ones (plus a
 * little overscan) exist in the DOM. Rows come from RowWindows; a row whose page is still loading
 * is drawn as a skeleton so scrolling never waits for the core.
 */
export function ContactsTable({ windows }: { windows: RowWindows }) {
  const { t } = useTranslation('contacts');
  const [, setTick] = useState(0);
  useEffect(() => windows.subscribe(() => setTick((n) => n + 1)), [windows]);

  const total = windows.total ?? 0;
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const [scroller, setScroller] = useState<ScaledScroller | null>(null);
  if (scroller) scroller.virtualHeight = HEADER_HEIGHT + total * ROW_HEIGHT;

  const virtualizer = useVirtualizer<Element, Element>({
    count: total,
    getScrollElement: () => scroller as unknown as Element | null,
    estimateSize: () => ROW_HEIGHT,
    scrollMargin: HEADER_HEIGHT,
    overscan: 12,
    observeElementRect: observeRect,
  });

  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (!total && windows.total !== null) return;
    // While the user flings through the list, wait for the wheel to settle before fetching.
    const delay = virtualizer.isScrolling ? 60 : 0;
    const id = setTimeout(() => windows.ensure(first, Math.max(last, first)), delay);
    return () => clearTimeout(id);
  }, [windows, first, last, total, virtualizer.isScrolling]);

  const selectedIds = useStore((s) => s.selectedIds);
  const selectAll = useStore((s) => s.selectAllMatching);
  const toggle = useStore((s) => s.toggleSelected);
  const setSelectAll = useStore((s) => s.setSelectAllMatching);
  const clearSelection = useStore((s) => s.clearSelection);
  const openContact = useStore((s) => s.openContact);
  const openId = useStore((s) => (s.location.page === 'contacts' ? (s.location.contactId ?? null) : null));

  const vOffset = virtualizer.scrollOffset ?? 0;
  const realOffset = scroller ? scroller.toReal(vOffset) : vOffset;
  const spacerHeight = scroller ? scroller.realHeight - HEADER_HEIGHT : total * ROW_HEIGHT;
  const columns = useMemo(() => ['phone', 'name', 'email', 'tags', 'consent', 'country'] as const, []);

  return (
    <div
      className="ct-scroll"
      ref={(el) => {
        scrollRef.current = el;
        if (el && scroller?.el !== el) setScroller(new ScaledScroller(el));
      }}
      role="grid"
      aria-rowcount={total + 1}
      aria-label={t('table.label')}
      data-testid="contacts-table"
    >
      <div className="ct-row ct-head" role="row" aria-rowindex={1} style={{ blockSize: HEADER_HEIGHT }}>
        <span role="columnheader" className="ct-check">
          <input
            type="checkbox"
            aria-label={t('table.selectAll', { count: total })}
            data-testid="select-all"
            checked={selectAll}
            ref={(el) => {
              if (el) el.indeterminate = !selectAll && selectedIds.size > 0;
            }}
            onChange={(e) => (e.target.checked ? setSelectAll(true) : clearSelection())}
          />
        </span>
        {columns.map((c) => (
          <span key={c} role="columnheader">
            {t(`table.col.${c}`)}
          </span>
        ))}
      </div>
      <div className="ct-body" style={{ blockSize: Math.max(spacerHeight, 0) }}>
        {items.map((item) => {
          const row = windows.row(item.index);
          const top = realOffset + (item.start - vOffset) - HEADER_HEIGHT;
          return row ? (
            <Row
              key={row.id}
              row={row}
              index={item.index}
              top={top}
              selected={selectAll || selectedIds.has(row.id)}
              open={openId === row.id}
              onToggle={() => (selectAll ? undefined : toggle(row.id))}
              onOpen={() => openContact(row.id)}
            />
          ) : (
            <div
              key={`s${item.index}`}
              className="ct-row ct-skeleton"
              role="row"
              aria-rowindex={item.index + 2}
              aria-busy="true"
              data-testid="contact-row-loading"
              style={{ transform: `translateY(${top}px)`, blockSize: ROW_HEIGHT }}
            >
              <span className="ct-check" />
              {columns.map((c) => (
                <span key={c}>
                  <span className="sk-bar" />
                </span>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function Row({
  row,
  index,
  top,
  selected,
  open,
  onToggle,
  onOpen,
}: {
  row: ContactRow;
  index: number;
  top: number;
  selected: boolean;
  open: boolean;
  onToggle(): void;
  onOpen(): void;
}) {
  const { t } = useTranslation('contacts');
  return (
    <div
      className="ct-row"
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-open={open || undefined}
      data-testid="contact-row"
      data-index={index}
      data-phone={row.phone ?? undefined}
      data-user-id={row.phone ? undefined : (row.user_id ?? undefined)}
      tabIndex={0}
      style={{ transform: `translateY(${top}px)`, blockSize: ROW_HEIGHT }}
      onClick={onOpen}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen();
        if (e.key === ' ') {
          e.preventDefault();
          onToggle();
        }
      }}
    >
      <span role="gridcell" className="ct-check" onClick={(e) => e.stopPropagation()}>
        <input
          type="checkbox"
          checked={selected}
          onChange={onToggle}
          aria-label={t('table.select', { phone: row.phone ?? (row.username ? `@${row.username}` : (row.user_id ?? '')) })}
          data-testid="row-select"
        />
      </span>
      <span role="gridcell">
        {row.phone ? (
          <bdi className="ltr mono-num">{row.phone}</bdi>
        ) : (
          // Known only by their WhatsApp user id (they wrote with a username): no number to show.
          <span className="muted small" title={t('bsuid.noPhone')} data-testid="row-no-phone">
            {t('bsuid.noPhoneShort')}
          </span>
        )}
      </span>
      <span role="gridcell" className="ct-strong">
        {row.name ? <bdi>{row.name}</bdi> : row.username ? <bdi className="ltr">@{row.username}</bdi> : <span className="muted">—</span>}
      </span>
      <span role="gridcell" className="muted ct-ltr-cell">
        {row.email ?? ''}
      </span>
      <span role="gridcell" className="ct-tags">
        {row.tags.slice(0, 2).map((tag) => (
          <span key={tag} className="badge tag">
            <bdi>{tag}</bdi>
          </span>
        ))}
        {row.tags.length > 2 && (
          <span className="muted small" title={row.tags.slice(2).join(', ')}>
            <bdi dir="ltr">+{row.tags.length - 2}</bdi>
          </span>
        )}
      </span>
      <span role="gridcell" className="ct-consent">
        <ConsentBadge category="marketing" state={row.consent.marketing} compact />
        <ConsentBadge category="utility" state={row.consent.utility} compact />
      </span>
      <span role="gridcell">
        <CountryLabel code={row.country} />
      </span>
    </div>
  );
}
