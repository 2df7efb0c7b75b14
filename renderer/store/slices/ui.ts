import type { StateCreator } from 'zustand';
import type { AppState } from '../index';

export const ROUTES = ['dashboard', 'contacts', 'templates', 'campaigns', 'account', 'settings'] as const;
/** A sidebar entry: the page family a location belongs to. */
export type Route = (typeof ROUTES)[number];

/**
 * Where the user is: the one navigation state. A page, and what is open inside it (a campaign, the
 * builder, a contact's drawer, the import wizard). Everything that used to be separate store fields
 * (route, campaign view and its timestamp, drawer id, import flag) is one value, so a link can never
 * leave a stale half behind and the sidebar always lands on the page's top level.
 */
export type Location =
  | { page: 'dashboard' }
  | { page: 'contacts'; contactId?: number; importing?: boolean }
  | { page: 'templates' }
  | { page: 'campaigns' }
  | { page: 'campaign'; id: string }
  | { page: 'builder'; id: string | null }
  | { page: 'account' }
  | { page: 'settings' };

/** The sidebar entry a location is under (a campaign and the builder are under Campaigns). */
export function routeOf(location: Location): Route {
  return location.page === 'campaign' || location.page === 'builder' ? 'campaigns' : location.page;
}

/** A toast worded when it shows (a translation key and its values), so it follows a language switch. */
export interface ToastMessage {
  key: string;
  params?: Record<string, unknown>;
}

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  /** Text made when the toast was raised, or a message worded each time it is shown. */
  text: string | ToastMessage;
}

export interface UiSlice {
  location: Location;
  toasts: Toast[];
  /** Goes to a location (a link inside a page: a campaign, a contact, the import wizard). */
  go(location: Location): void;
  /** Goes to a page's top level (the sidebar): from a campaign's page, "Campaigns" shows the list. */
  navigate(route: Route): void;
  toast(kind: Toast['kind'], text: Toast['text']): void;
  dismissToast(id: number): void;
}

let toastId = 1;

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set, get) => ({
  location: { page: 'dashboard' },
  toasts: [],
  go: (location) => set({ location }),
  navigate: (route) => set({ location: { page: route } as Location }),
  toast: (kind, text) => {
    const id = toastId++;
    set({ toasts: [...get().toasts.slice(-3), { id, kind, text }] });
    setTimeout(() => get().dismissToast(id), kind === 'error' ? 8000 : 4000);
  },
  dismissToast: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
});
