import type { StoreApi } from 'zustand';
import { api } from '../api/client';
import { subscribeBatched } from '../api/batched';
import type { AppState } from './index';

let unsubscribe: (() => void) | null = null;

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
  const offs = [
    api.on('settings:changed', (settings) => s().settingsChanged(settings)),
    api.on('app:engine', (status) => s().setEngineStatus(status)),
    // The full account state (budget, limits, numbers): the dashboard and Account read the same value.
    api.on('account:changed', (account) => store.setState({ account, accountError: null })),
    api.on('templates:changed', () => s().templatesChanged()),
    api.on('contacts:changed', () => s().contactsChanged()),
    api.on('import:progress', (p) => s().importProgressArrived(p)),
    api.on('import:finished', (job) => s().importFinished(job)),
    // 1,000 statuses a second become at most ten store updates a second.
    subscribeBatched('campaigns:progress', (batch) => s().campaignProgressArrived(batch)),
    subscribeBatched('campaigns:changed', () => s().campaignsChanged(), 4),
    api.on('campaigns:alert', (alert) => s().campaignAlertArrived(alert)),
  ];
  unsubscribe = () => {
    for (const off of offs) off();
    unsubscribe = null;
  };
  return unsubscribe;
}
