import type { StateCreator } from 'zustand';
import { api } from '../../api/client';
import type { AppState, TemplatesSlice } from '../state';
import { errorText } from '../../i18n/errorText';

export const createTemplatesSlice: StateCreator<AppState, [], [], TemplatesSlice> = (set, get) => ({
  templates: null,
  templatesError: null,
  syncing: false,
  lastSync: null,
  templateDetail: null,

  async initTemplates() {
    await get().loadTemplates();
  },

  templatesChanged() {
    // Only a page that loaded the list keeps it current; the open detail panel refetches too.
    if (get().templates) void get().loadTemplates();
    const open = get().templateDetail;
    if (open) void get().openTemplate(open.id);
  },

  async loadTemplates() {
    const r = await api.call('templates:list', {});
    if (r.ok) set({ templates: r.value, templatesError: null });
    else set({ templatesError: errorText(r) });
  },

  async syncTemplates() {
    if (get().syncing) return;
    set({ syncing: true });
    const r = await api.call('templates:sync', {});
    set({ syncing: false });
    if (!r.ok) {
      get().toast('error', errorText(r));
      return;
    }
    set({ lastSync: r.value });
    await get().loadTemplates();
    void get().loadAccount();
  },

  async openTemplate(id) {
    const r = await api.call('templates:get', { id });
    if (r.ok) set({ templateDetail: r.value });
    else get().toast('error', errorText(r));
  },

  closeTemplate: () => set({ templateDetail: null }),
});
