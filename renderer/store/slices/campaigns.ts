import i18next from '../../i18n';
import type { StateCreator } from 'zustand';
import { api } from '../../api/client';
import type { AppState, CampaignsSlice } from '../state';
import { errorText } from '../../i18n/errorText';

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
