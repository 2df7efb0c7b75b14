import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountStatus } from '../../../shared/contract/whatsapp';
import { eventNames } from '../../../shared/contract';

// The api client stand-in: records listeners (and removals) and the calls made.
const listeners = new Map<string, Set<(p: unknown) => void>>();
const calls: string[] = [];
vi.mock('../../../renderer/api/client', () => ({
  api: {
    on: (event: string, l: (p: unknown) => void) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(l);
      return () => listeners.get(event)!.delete(l);
    },
    call: async (method: string) => {
      calls.push(method);
      if (method === 'account:status') return { ok: true, value: { connected: true, portfolio: { used24h: 57 } } };
      if (method === 'campaigns:list') return { ok: true, value: [] };
      return { ok: true, value: null };
    },
  },
  unwrap: async <T>(p: Promise<{ ok: true; value: T }>) => (await p).value,
}));

const { useStore } = await import('../../../renderer/store');
const { subscribeCoreEvents, BUDGET_REFRESH_MS } = await import('../../../renderer/store/events');
const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
const total = () => [...listeners.values()].reduce((n, s) => n + s.size, 0);

describe('one place where core events are subscribed (renderer/store/events.ts)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('listens to every contract event exactly once, and a second call replaces the first', () => {
    const off = subscribeCoreEvents(useStore);
    const heard = [...listeners.entries()]
      .filter(([, s]) => s.size > 0)
      .map(([e]) => e)
      .sort();
    // Everything the core pushes has a home in the store (webhooks:activity is read by Settings' own poll).
    expect(heard).toEqual(
      eventNames
        .filter((e) => e !== 'webhooks:activity')
        .slice()
        .sort(),
    );
    const n = total();
    const again = subscribeCoreEvents(useStore);
    expect(total()).toBe(n);
    off(); // the replaced subscription's off is harmless
    expect(total()).toBe(n);
    again();
    expect(total()).toBe(0);
  });

  it('puts pushed state in the store whether or not a page is open', () => {
    const off = subscribeCoreEvents(useStore);
    emit('account:changed', { connected: true, portfolio: { used24h: 3 } } as unknown as AccountStatus);
    expect(useStore.getState().account).toMatchObject({ portfolio: { used24h: 3 } });
    emit('app:engine', { state: 'restarted', interrupted: false });
    expect(useStore.getState().engineStatus).toMatchObject({ state: 'restarted' });
    emit('import:progress', { jobId: 'j1', phase: 'parsing', rowsRead: 10 });
    emit('import:finished', { jobId: 'j1', state: 'done', progress: { jobId: 'j1', rowsRead: 12 } });
    emit('import:progress', { jobId: 'j1', phase: 'parsing', rowsRead: 11 }); // late: the end stands
    expect(useStore.getState().importFeed.j1).toMatchObject({ result: { state: 'done' }, progress: { rowsRead: 12 } });
    off();
  });

  it('sending refreshes the 24-hour budget live, at most once per interval', async () => {
    const off = subscribeCoreEvents(useStore);
    emit('account:changed', { connected: true, portfolio: { used24h: 0 } } as unknown as AccountStatus);
    calls.length = 0;
    for (let i = 0; i < 300; i++) {
      emit('campaigns:progress', { id: 'c1', state: 'running', counts: {}, total: 300, rate: 80, standing: { state: 'running' }, at: i });
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(BUDGET_REFRESH_MS);
    await vi.runAllTimersAsync();
    const reads = calls.filter((c) => c === 'account:status').length;
    expect(reads).toBeGreaterThanOrEqual(1);
    // 3 s of sending plus one interval: one read per started interval at most.
    expect(reads).toBeLessThanOrEqual(Math.ceil((300 * 10 + BUDGET_REFRESH_MS) / BUDGET_REFRESH_MS));
    expect(useStore.getState().account).toMatchObject({ portfolio: { used24h: 57 } });
    off();
  });
});
