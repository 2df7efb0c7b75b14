/**
 * Where the user is in the app: the pages of the sidebar and the one navigation state
 * (the store's `location`, store/slices/ui.ts). Pure, so any screen can read it.
 */

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
