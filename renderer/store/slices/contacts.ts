import type { StateCreator } from 'zustand';
import { api } from '../../api/client';
import type { AppState, ContactsFilter, ContactsSlice } from '../state';

const NO_SELECTION: ReadonlySet<number> = new Set();
let changeTimer: ReturnType<typeof setTimeout> | null = null;

export const createContactsSlice: StateCreator<AppState, [], [], ContactsSlice> = (set, get) => ({
  contactsFilter: {},
  contactsVersion: 0,
  selectedIds: NO_SELECTION,
  selectAllMatching: false,
  contactTags: [],
  segments: [],
  contactsStats: null,
  importFeed: {},
  importProgressArrived: (p) => {
    const prev = get().importFeed[p.jobId];
    if (prev?.result) return;
    set({ importFeed: { ...get().importFeed, [p.jobId]: { progress: p, result: null } } });
  },
  importFinished: (job) => set({ importFeed: { ...get().importFeed, [job.jobId]: { progress: job.progress, result: job } } }),
  setContactsFilter: (patch) => {
    const next: ContactsFilter = { ...get().contactsFilter, ...patch };
    // Drop empty values so the core sees only the filters the user set.
    for (const k of Object.keys(next) as (keyof ContactsFilter)[]) if (next[k] === undefined || next[k] === '') delete next[k];
    set({ contactsFilter: next, selectedIds: NO_SELECTION, selectAllMatching: false });
  },
  clearContactsFilter: () => set({ contactsFilter: {}, selectedIds: NO_SELECTION, selectAllMatching: false }),
  toggleSelected: (id) => {
    const next = new Set(get().selectedIds);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    set({ selectedIds: next, selectAllMatching: false });
  },
  setSelectAllMatching: (on) => set({ selectAllMatching: on, selectedIds: NO_SELECTION }),
  clearSelection: () => set({ selectedIds: NO_SELECTION, selectAllMatching: false }),
  openContact: (id) => get().go(id === null ? { page: 'contacts' } : { page: 'contacts', contactId: id }),
  openImport: (open) => get().go(open ? { page: 'contacts', importing: true } : { page: 'contacts' }),
  async loadContactFacets() {
    const [tags, segments, stats] = await Promise.all([
      api.call('contacts:tags', {}),
      api.call('segments:list', {}),
      api.call('contacts:stats', {}),
    ]);
    set({
      contactTags: tags.ok ? tags.value : get().contactTags,
      segments: segments.ok ? segments.value : get().segments,
      contactsStats: stats.ok ? stats.value : get().contactsStats,
    });
  },
  contactsChanged: () => {
    // An action's own refresh and the core's `contacts:changed` event usually arrive together:
    // coalesce them so the table refetches once.
    if (changeTimer) return;
    changeTimer = setTimeout(() => {
      changeTimer = null;
      set({ contactsVersion: get().contactsVersion + 1 });
      void get().loadContactFacets();
    }, 120);
  },
});
