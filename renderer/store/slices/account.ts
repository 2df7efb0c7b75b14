import type { StateCreator } from 'zustand';
import type { ConnectErrorDetails } from '../../../shared/contract/whatsapp';
import { api } from '../../api/client';
import type { AppState, AccountSlice } from '../state';
import { errorText } from '../../i18n/errorText';

export const createAccountSlice: StateCreator<AppState, [], [], AccountSlice> = (set, get) => ({
  account: null,
  accountError: null,
  accountBusy: null,
  accountHistory: null,
  profiles: {},
  wizardOpen: false,
  wizardStart: 'choose',

  async initAccount() {
    await get().loadAccount();
  },

  async loadAccount() {
    const r = await api.call('account:status', {});
    if (r.ok) set({ account: r.value, accountError: null });
    else set({ accountError: errorText(r) });
  },

  async loadAccountHistory(days = 30) {
    const r = await api.call('account:history', { days });
    if (r.ok) set({ accountHistory: r.value });
  },

  openWizard: (start = 'choose') => set({ wizardOpen: true, wizardStart: start }),
  closeWizard: () => set({ wizardOpen: false }),

  async useSandbox() {
    set({ accountBusy: 'sandbox' });
    const r = await api.call('account:use-sandbox', {});
    set({ accountBusy: null });
    if (!r.ok) {
      get().toast('error', errorText(r));
      return false;
    }
    set({ account: r.value, wizardOpen: false });
    void get().loadAccountHistory();
    void get().loadTemplates();
    return true;
  },

  async connectAccount(input) {
    set({ accountBusy: 'connect' });
    const r = await api.call('account:connect', input);
    set({ accountBusy: null });
    if (!r.ok) return { code: r.code, message: r.message, details: (r.details as ConnectErrorDetails | undefined) ?? null };
    set({ account: r.value, wizardOpen: false });
    void get().loadAccountHistory();
    void get().loadTemplates();
    return null;
  },

  async refreshAccount() {
    set({ accountBusy: 'refresh' });
    const r = await api.call('account:refresh', {});
    set({ accountBusy: null });
    if (r.ok) {
      set({ account: r.value });
      void get().loadAccountHistory();
      return;
    }
    // A token problem shows as the blocking banner (from the new status); anything else as a toast.
    await get().loadAccount();
    const tokenBlocked = get().account?.blockers.some((b) => b.startsWith('token_'));
    if (!tokenBlocked) get().toast('error', errorText(r));
  },

  async disconnectAccount(forgetSecrets) {
    set({ accountBusy: 'disconnect' });
    const r = await api.call('account:disconnect', { forgetSecrets });
    set({ accountBusy: null });
    if (r.ok) set({ account: r.value, accountHistory: null, profiles: {} });
    else get().toast('error', errorText(r));
  },

  async loadProfile(phoneNumberId) {
    const r = await api.call('account:profile-get', { phoneNumberId });
    if (!r.ok) return errorText(r);
    set({ profiles: { ...get().profiles, [phoneNumberId]: r.value } });
    return null;
  },

  async updateProfile(phoneNumberId, patch) {
    const r = await api.call('account:profile-update', { phoneNumberId, ...patch });
    if (!r.ok) return errorText(r);
    set({ profiles: { ...get().profiles, [phoneNumberId]: r.value } });
    return null;
  },
});
