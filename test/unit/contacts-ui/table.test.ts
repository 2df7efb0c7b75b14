import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_PX, ScaledScroller } from '../../../renderer/features/contacts/table/scaledScroller';
import { PAGE_SIZE, RowWindows } from '../../../renderer/features/contacts/table/rowWindows';
import type { ContactRow } from '../../../shared/contract/contacts';
import { ok } from '../../../shared/contract/result';

/** Just what ScaledScroller reads from its element. */
function fakeElement(clientHeight: number) {
  const el = {
    clientHeight,
    clientWidth: 800,
    scrollTop: 0,
    scrollLeft: 0,
    scrollHeight: 0,
    scrollWidth: 800,
    style: {},
    ownerDocument: null,
    scrollTo(o: { top?: number }) {
      if (o.top !== undefined) el.scrollTop = o.top;
    },
  };
  return el;
}

describe('ScaledScroller', () => {
  it('is transparent below the browser height cap', () => {
    const el = fakeElement(600);
    const s = new ScaledScroller(el as unknown as HTMLElement);
    s.virtualHeight = 100_000 * 40;
    el.scrollTop = 12_345;
    expect(s.ratio).toBe(1);
    expect(s.scrollTop).toBe(12_345);
  });

  it('maps the real scroll range exactly onto a million rows', () => {
    const el = fakeElement(600);
    const s = new ScaledScroller(el as unknown as HTMLElement);
    s.virtualHeight = 38 + 1_000_000 * 40;
    expect(s.realHeight).toBe(MAX_SCROLL_PX);
    el.scrollHeight = s.realHeight;
    // Bottom of the real scroll area = bottom of the virtual one: the last row is reachable.
    el.scrollTop = s.realHeight - 600;
    expect(s.scrollTop).toBeCloseTo(s.virtualHeight - 600, 3);
    expect(s.scrollHeight).toBe(s.virtualHeight);
    // scrollTo in virtual pixels lands on the matching real position.
    s.scrollTo({ top: (s.virtualHeight - 600) / 2 });
    expect(el.scrollTop).toBeCloseTo((s.realHeight - 600) / 2, 3);
  });
});

const row = (i: number): ContactRow => ({
  id: i + 1,
  phone: `+97254${String(i).padStart(7, '0')}`,
  name: `n${i}`,
  first_name: null,
  last_name: null,
  email: null,
  country: 'IL',
  tags: [],
  attributes: {},
  consent: { marketing: 'unknown', utility: 'unknown' },
  created_at: 0,
  updated_at: 0,
  last_messaged_at: null,
});

describe('RowWindows', () => {
  it('fetches only the pages a range needs, once, and serves rows from them', async () => {
    const calls: number[] = [];
    const w = new RowWindows(async (offset, limit) => {
      calls.push(offset);
      return ok({ total: 1_000_000, rows: Array.from({ length: limit }, (_, k) => row(offset + k)) });
    });
    let notified = 0;
    w.subscribe(() => notified++);
    w.ensure(999_950, 999_999);
    w.ensure(999_950, 999_999);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual([Math.floor(999_950 / PAGE_SIZE) * PAGE_SIZE]);
    expect(w.total).toBe(1_000_000);
    expect(w.row(999_999)?.id).toBe(1_000_000);
    expect(w.row(0)).toBeUndefined();
    expect(notified).toBe(1);
  });

  it('keeps a bounded number of pages', async () => {
    const w = new RowWindows(async (offset, limit) =>
      ok({ total: 1_000_000, rows: Array.from({ length: limit }, (_, k) => row(offset + k)) }),
    );
    for (let p = 0; p < 100; p++) w.ensure(p * PAGE_SIZE, p * PAGE_SIZE);
    await new Promise((r) => setTimeout(r, 0));
    expect(w.row(0)).toBeUndefined();
    expect(w.row(99 * PAGE_SIZE)?.id).toBe(99 * PAGE_SIZE + 1);
  });

  it('drops answers that arrive after it was disposed (a newer query replaced it)', async () => {
    let release!: () => void;
    const w = new RowWindows(() => new Promise((r) => (release = () => r(ok({ total: 5, rows: [row(0)] })))));
    w.ensure(0, 0);
    w.dispose();
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(w.total).toBeNull();
  });
});
