import type { StoreApi } from 'zustand';
import { api } from '../api/client';
import { subscribeBatched } from '../api/batched';
import type { AppState } from './state';

let unsubscribe: (() => void) | null = null;

/** How often sending may refresh the account's 24-hour budget (one account:status read). */
export const BUDGET_REFRESH_MS = 2000;

/**
 * The one place the renderer listens to the core. Called once at bootstrap (main.tsx); every pushed
 * event lands in the store, and pages only read the store. No slice action and no page effect calls
 * `api.on` — so a page that is not open still has current figures when it opens (the dashboard's
 * budget, a campaign's counts), and a page opened twice never subscribes twice.
 * Returns the unsubscribe function (tests; a second call replaces the first subscription).
 */
export function subscribeCoreEvents(store: StoreApi<AppState>): () => void {
  unsubscribe?.();
  const s = () => store.getState();
  // The 24-hour budget (dashboard card, Account, builder) moves with every send, but the core only
  // pushes account:changed on connection/limit changes: sends refresh it, at most every 2 s, so no
  // screen keeps "2,000 left · 0 used" while Account shows 57 used.
  let budgetTimer: ReturnType<typeof setTimeout> | null = null;
  const sendsHappened = () => {
    if (budgetTimer || !s().account?.connected) return;
    budgetTimer = setTimeout(() => {
      budgetTimer = null;
      void s().loadAccount();
    }, BUDGET_REFRESH_MS);
  };
  const tick = (k: keyof AppState['ticks']) => store.setState((st) => ({ ticks: { ...st.ticks, [k]: st.ticks[k] + 1 } }));
  const offs = [
    api.on('settings:changed', (settings) => {
      s().settingsChanged(settings);
      tick('marketing');
    }),
    api.on('marketing:changed', () => tick('marketing')),
    api.on('app:engine', (status) => s().setEngineStatus(status)),
    // The full account state (budget, limits, numbers): the dashboard and Account read the same value.
    api.on('account:changed', (account) => {
      store.setState({ account, accountError: null });
      // Connecting stores the token: Settings' "Not set" must not outlive Account's "Working".
      void s().loadSecrets();
    }),
    api.on('templates:changed', () => {
      s().templatesChanged();
      tick('marketing');
    }),
    api.on('contacts:changed', () => {
      s().contactsChanged();
      tick('contacts');
    }),
    api.on('import:progress', (p) => s().importProgressArrived(p)),
    api.on('import:finished', (job) => s().importFinished(job)),
    // 1,000 statuses a second become at most ten store updates a second.
    subscribeBatched('campaigns:progress', (batch) => {
      s().campaignProgressArrived(batch);
      sendsHappened();
    }),
    subscribeBatched(
      'campaigns:changed',
      () => {
        s().campaignsChanged();
        sendsHappened();
      },
      4,
    ),
    api.on('campaigns:alert', (alert) => s().campaignAlertArrived(alert)),
  ];
  const me = () => {
    for (const off of offs.splice(0)) off();
    if (budgetTimer) clearTimeout(budgetTimer);
    budgetTimer = null;
    if (unsubscribe === me) unsubscribe = null;
  };
  unsubscribe = me;
  return me;
}
