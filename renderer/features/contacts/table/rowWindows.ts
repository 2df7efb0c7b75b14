import type { ContactRow } from '../../../../shared/contract/contacts';
import type { Result } from '../../../../shared/contract/result';
import { errorText } from '../../../i18n/errorText';

export const PAGE_SIZE = 200;
/** Pages kept in memory (≈ 12,000 rows); the least recently used are dropped first. */
const MAX_PAGES = 60;

export type FetchPage = (offset: number, limit: number) => Promise<Result<{ total: number; rows: ContactRow[] }>>;

/**
 * The table's rows, fetched in windows of PAGE_SIZE as the user scrolls and kept in a small LRU.
 * Never holds the whole store: at a million contacts only the pages near the viewport are here.
 * One instance per query (filter + version): a new query starts from an empty cache, and answers
 * to an old query are ignored because they land in the old instance.
 */
export class RowWindows {
  total: number | null = null;
  error: string | null = null;
  private pages = new Map<number, ContactRow[]>();
  private inFlight = new Set<number>();
  private listeners = new Set<() => void>();
  private disposed = false;

  constructor(private readonly fetchPage: FetchPage) {}

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  };

  dispose() {
    this.disposed = true;
    this.listeners.clear();
  }

  /** The row at `index`, or undefined while its page loads (the table shows a skeleton row). */
  row(index: number): ContactRow | undefined {
    const page = this.pages.get(Math.floor(index / PAGE_SIZE));
    return page?.[index % PAGE_SIZE];
  }

  /** Makes sure the pages covering [start, end] are loaded or loading. */
  ensure(start: number, end: number) {
    const first = Math.floor(Math.max(0, start) / PAGE_SIZE);
    const last = Math.floor(Math.max(0, end) / PAGE_SIZE);
    for (let p = first; p <= last; p++) {
      const page = this.pages.get(p);
      if (page) {
        // Touch: re-insert so it counts as recently used.
        this.pages.delete(p);
        this.pages.set(p, page);
      } else if (!this.inFlight.has(p)) {
        void this.load(p);
      }
    }
  }

  private async load(p: number) {
    this.inFlight.add(p);
    const r = await this.fetchPage(p * PAGE_SIZE, PAGE_SIZE);
    this.inFlight.delete(p);
    if (this.disposed) return;
    if (r.ok) {
      this.total = r.value.total;
      this.error = null;
      this.pages.set(p, r.value.rows);
      while (this.pages.size > MAX_PAGES) this.pages.delete(this.pages.keys().next().value as number);
    } else {
      this.error = errorText(r);
      if (this.total === null) this.total = 0;
    }
    this.listeners.forEach((l) => l());
  }
}
