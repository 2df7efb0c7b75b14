import i18next from '../../i18n';
import type { StateCreator } from 'zustand';
import type { CampaignAlert, CampaignProgress, CampaignSummary } from '../../../shared/contract/campaigns';
import type { CampaignsOverview } from '../../../shared/contract/campaign-reports';
import { api } from '../../api/client';
import type { AppState } from '../index';
import { errorText } from '../../i18n/errorText';

/** Which campaigns screen is open: the list, the builder (new, or editing a saved draft), or one campaign. */
export type CampaignView = { kind: 'list' } | { kind: 'builder'; id: string | null } | { kind: 'detail'; id: string };

export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel' | 'duplicate' | 'delete';

export interface CampaignsSlice {
  /** null until loaded once. */
  campaigns: CampaignSummary[] | null;
  campaignsError: string | null;
  /** Latest pushed progress per campaign (batched ~10 Hz); newer than the list's counts while sending. */
  campaignProgress: Record<string, CampaignProgress>;
  /** Watchdog alerts not dismissed yet, newest first. */
  campaignAlerts: CampaignAlert[];
  /** Bumped on campaigns:changed / progress flushes: open pages refetch what they show. */
  campaignsVersion: number;
  campaignsOverview: CampaignsOverview | null;
  initCampaigns(): Promise<void>;
  loadCampaigns(): Promise<void>;
  loadCampaignsOverview(): Promise<void>;
  /** Shorthand for go(): the list, the builder or one campaign's page (see Location in ui.ts). */
  openCampaigns(view: CampaignView): void;
  /** From the one event subscription (store/events.ts): a batch of pushed progress. */
  campaignProgressArrived(batch: CampaignProgress[]): void;
  /** From the one event subscription: something about a campaign changed in the core. */
  campaignsChanged(): void;
  campaignAlertArrived(alert: CampaignAlert): void;
  /** Runs a lifecycle action; returns the updated campaign (or null, with a toast, on failure). */
  campaignAction(id: string, action: CampaignAction): Promise<CampaignSummary | null>;
  dismissCampaignAlert(alert: CampaignAlert): void;
}

export const createCampaignsSlice: StateCreator<AppState, [], [], CampaignsSlice> = (set, get) => ({
  campaigns: null,
  campaignsError: null,
  campaignProgress: {},
  campaignAlerts: [],
  campaignsVersion: 0,
  campaignsOverview: null,

  async initCampaigns() {
    await get().loadCampaigns();
  },

  campaignProgressArrived(batch) {
    const next = { ...get().campaignProgress };
    for (const p of batch) if (!next[p.id] || next[p.id]!.at <= p.at) next[p.id] = p;
    set({ campaignProgress: next, campaignsVersion: get().campaignsVersion + 1 });
  },

  campaignsChanged() {
    set({ campaignsVersion: get().campaignsVersion + 1 });
    void get().loadCampaigns();
  },

  campaignAlertArrived(alert) {
    set({ campaignAlerts: [alert, ...get().campaignAlerts.filter((a) => !(a.id === alert.id && a.kind === alert.kind))].slice(0, 20) });
    // The name alone said nothing (and in Hebrew read as an English word on its own): say what happened.
    if (alert.kind === 'completed')
      get().toast('success', { key: 'campaigns:alerts.completedToast', params: { name: `\u2068${alert.name}\u2069` } });
  },

  async loadCampaigns() {
    const r = await api.call('campaigns:list', {});
    if (r.ok) set({ campaigns: r.value, campaignsError: null });
    else set({ campaignsError: errorText(r) });
  },

  async loadCampaignsOverview() {
    const r = await api.call('campaigns:overview', { days: 30, tz: Intl.DateTimeFormat().resolvedOptions().timeZone });
    if (r.ok) set({ campaignsOverview: r.value });
  },

  openCampaigns(view) {
    get().go(
      view.kind === 'detail'
        ? { page: 'campaign', id: view.id }
        : view.kind === 'builder'
          ? { page: 'builder', id: view.id }
          : { page: 'campaigns' },
    );
  },

  async campaignAction(id, action) {
    if (action === 'delete') {
      const r = await api.call('campaigns:delete', { id });
      if (!r.ok) {
        get().toast('error', errorText(r));
        return null;
      }
      await get().loadCampaigns();
      return null;
    }
    const r = await api.call(`campaigns:${action}`, { id });
    if (!r.ok) {
      get().toast('error', actionErrorText(r));
      return null;
    }
    await get().loadCampaigns();
    return r.value;
  },

  dismissCampaignAlert(alert) {
    set({ campaignAlerts: get().campaignAlerts.filter((a) => a !== alert) });
  },
});

/**
 * A refused campaign action in the user's language: from the error's code and details, never from
 * the core's English message (which is for the CLI and the log).
 */
function actionErrorText(r: { code: string; message: string; details?: unknown }): string {
  const d = (r.details ?? {}) as { reason?: string; blocker?: string };
  if (d.reason === 'account_blocked') {
    return i18next.t('campaigns:errors.account_blocked', { blocker: i18next.t(`account:blockers.${d.blocker ?? 'not_connected'}`) });
  }
  return i18next.t(`campaigns:errors.${r.code}`, { defaultValue: i18next.t('campaigns:errors.generic') });
}
