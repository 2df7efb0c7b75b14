import type { StateCreator } from 'zustand';
import type { ContactFilter, ContactsStats, ImportJob, ImportProgress, Segment } from '../../../shared/contract/contacts';
import { api } from '../../api/client';
import type { AppState } from '../index';

/** The table's filter without defaults: an empty object means "every contact". */
export type ContactsFilter = Omit<ContactFilter, 'consentCategory'> & { consentCategory?: ContactFilter['consentCategory'] };

export interface ContactsSlice {
  contactsFilter: ContactsFilter;
  /** Bumped whenever contacts change in the core; the table drops its cached rows and refetches. */
  contactsVersion: number;
  /** Explicitly selected row ids; `selectAllMatching` selects every row matching the filter instead. */
  selectedIds: ReadonlySet<number>;
  selectAllMatching: boolean;
  contactTags: { name: string; count: number }[];
  segments: Segment[];
  contactsStats: ContactsStats | null;
  /**
   * What the core pushed about import jobs, by job id: the latest progress and, once it ended, the
   * job. Kept here (not in the wizard) so an event that arrives before the start call answers is not lost.
   */
  importFeed: Record<string, { progress: ImportProgress | null; result: ImportJob | null }>;
  importProgressArrived(p: ImportProgress): void;
  importFinished(job: ImportJob): void;
  setContactsFilter(patch: Partial<ContactsFilter>): void;
  clearContactsFilter(): void;
  toggleSelected(id: number): void;
  setSelectAllMatching(on: boolean): void;
  clearSelection(): void;
  /** Shorthands for go() on the contacts page: a contact's drawer (null closes it), the import wizard. */
  openContact(id: number | null): void;
  openImport(open: boolean): void;
  /** Tags, segments and counts for the filter bar and the dashboard. */
  loadContactFacets(): Promise<void>;
  contactsChanged(): void;
}

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
