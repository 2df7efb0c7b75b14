import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { create } from 'zustand';
import type { CampaignAlert, CampaignProgress, RecipientCounts } from '../../../shared/contract/campaigns';

// The slice talks to the core through the api client: a stand-in that records listeners and calls.
const listeners = new Map<string, ((p: unknown) => void)[]>();
const calls: string[] = [];
vi.mock('../../../renderer/api/client', () => ({
  api: {
    on: (event: string, l: (p: unknown) => void) => {
      listeners.set(event, [...(listeners.get(event) ?? []), l]);
      return () => undefined;
    },
    call: async (method: string) => {
      calls.push(method);
      if (method === 'campaigns:list') return { ok: true, value: [] };
      if (method === 'campaigns:pause') return { ok: false, code: 'conflict', message: 'Campaign c1 is completed' };
      if (method === 'campaigns:resume')
        return {
          ok: false,
          code: 'unavailable',
          message: 'The account cannot send: token_expired',
          details: { reason: 'account_blocked', blocker: 'token_expired' },
        };
      return { ok: true, value: null };
    },
  },
}));

const { createCampaignsSlice } = await import('../../../renderer/store/slices/campaigns');
const { createUiSlice } = await import('../../../renderer/store/slices/ui');
const { routeOf } = await import('../../../renderer/store/location');
const { subscribeCoreEvents } = await import('../../../renderer/store/events');
type S = ReturnType<typeof createCampaignsSlice> & ReturnType<typeof createUiSlice> & { toasts: string[] };

// One store for the file, subscribed to the core's events once, like the app's (store/events.ts).
const store = create<S>()((set, get, api) => ({
  ...createUiSlice(set as never, get as never, api as never),
  ...createCampaignsSlice(set as never, get as never, api as never),
  toasts: [] as never,
  toast: (_k: string, text: string) => set({ toasts: [...(get().toasts as unknown as string[]), text] as never }),
}));
subscribeCoreEvents(store as never);

const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
const counts = (delivered: number): RecipientCounts => ({
  pending: 1000 - delivered,
  sending: 0,
  accepted: 0,
  sent: 0,
  delivered,
  read: 0,
  failed: 0,
  skipped: 0,
  uncertain: 0,
});

describe('campaigns store slice', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('folds a burst of pushed progress into at most ten store updates a second, keeping the newest per campaign', async () => {
    await store.getState().initCampaigns();
    let updates = 0;
    store.subscribe((s, prev) => {
      if (s.campaignProgress !== prev.campaignProgress) updates++;
    });
    // One second of 1,000 status-driven progress events for two campaigns.
    for (let i = 1; i <= 1000; i++) {
      const standing = {
        state: 'running' as const,
        next: 'send' as const,
        until: null,
        total: 1000,
        processed: i,
        remaining: 1000 - i,
        sent: i,
        rate: 80,
        started: true,
      };
      const p: CampaignProgress = { id: i % 2 ? 'a' : 'b', state: 'running', counts: counts(i), total: 1000, rate: 80, standing, at: i };
      emit('campaigns:progress', p);
      if (i % 10 === 0) vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(200);
    expect(updates).toBeGreaterThan(0);
    expect(updates).toBeLessThanOrEqual(11);
    expect(store.getState().campaignProgress.a!.counts.delivered).toBe(999);
    expect(store.getState().campaignProgress.b!.counts.delivered).toBe(1000);
  });

  it('keeps watchdog alerts (newest first, one per campaign and kind) until dismissed; opens pages; reports failed actions', async () => {
    await store.getState().initCampaigns();
    const alert = (kind: CampaignAlert['kind'], at: number): CampaignAlert => ({
      id: 'c1',
      name: 'Spring',
      kind,
      reason: kind === 'paused' ? 'template_quality_red' : null,
      detail: null,
      at,
    });
    emit('campaigns:alert', alert('paused', 1));
    emit('campaigns:alert', alert('paused', 2));
    emit('campaigns:alert', alert('resumed', 3));
    expect(store.getState().campaignAlerts.map((a) => [a.kind, a.at])).toEqual([
      ['resumed', 3],
      ['paused', 2],
    ]);
    store.getState().dismissCampaignAlert(store.getState().campaignAlerts[1]!);
    expect(store.getState().campaignAlerts.map((a) => a.kind)).toEqual(['resumed']);

    store.getState().openCampaigns({ kind: 'detail', id: 'c1' });
    expect(store.getState().location).toEqual({ page: 'campaign', id: 'c1' });
    expect(routeOf(store.getState().location)).toBe('campaigns');
    // The sidebar from a campaign's page: the list, whenever it is clicked (no timing guess).
    store.getState().navigate('campaigns');
    expect(store.getState().location).toEqual({ page: 'campaigns' });
    expect(await store.getState().campaignAction('c1', 'pause')).toBeNull();
    // Translated from the code, not the core's English message.
    expect(store.getState().toasts).toContain("This action does not fit the campaign's current state. The page shows the latest state.");
    expect(calls).toContain('campaigns:pause');
    expect(await store.getState().campaignAction('c1', 'resume')).toBeNull();
    expect(store.getState().toasts.at(-1)).toBe(
      'Cannot resume: The access token has expired (Meta error 190). Campaigns are on hold until you enter a new token. Fix it on the Account page, then resume.',
    );
  });
});
