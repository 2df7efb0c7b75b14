import type { StateCreator } from 'zustand';
import type { TemplateDetail, TemplateSummary, TemplateSyncResult } from '../../../shared/contract/whatsapp';
import { api } from '../../api/client';
import type { AppState } from '../index';
import { errorText } from '../../i18n/errorText';

export interface TemplatesSlice {
  /** null until loaded once. Filters are applied in the page (the list is small: ≤ 6,000 per WABA). */
  templates: TemplateSummary[] | null;
  templatesError: string | null;
  syncing: boolean;
  lastSync: TemplateSyncResult | null;
  /** The template open in the detail panel, with its history. */
  templateDetail: TemplateDetail | null;
  initTemplates(): Promise<void>;
  /** From the one event subscription (store/events.ts). */
  templatesChanged(): void;
  loadTemplates(): Promise<void>;
  syncTemplates(): Promise<void>;
  openTemplate(id: string): Promise<void>;
  closeTemplate(): void;
}

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
