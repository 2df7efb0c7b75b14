import type { StateCreator } from 'zustand';
import type { Location } from '../location';
import type { AppState, UiSlice } from '../state';

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
