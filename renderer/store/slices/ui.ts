import type { StateCreator } from 'zustand';
import type { AppState } from '../index';

export const ROUTES = ['dashboard', 'contacts', 'templates', 'campaigns', 'account', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
}

export interface UiSlice {
  route: Route;
  toasts: Toast[];
  navigate(route: Route): void;
  toast(kind: Toast['kind'], text: string): void;
  dismissToast(id: number): void;
}

let toastId = 1;

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set, get) => ({
  route: 'dashboard',
  toasts: [],
  navigate: (route) => set({ route }),
  toast: (kind, text) => {
    const id = toastId++;
    set({ toasts: [...get().toasts.slice(-3), { id, kind, text }] });
    setTimeout(() => get().dismissToast(id), kind === 'error' ? 8000 : 4000);
  },
  dismissToast: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
});
