import { create } from 'zustand';
import { createAppSlice, type AppSlice } from './slices/app';
import { createUiSlice, type UiSlice } from './slices/ui';

/** One store of domain slices. Components select narrowly: useStore((s) => s.route). */
export type AppState = UiSlice & AppSlice;

export const useStore = create<AppState>()((...a) => ({
  ...createUiSlice(...a),
  ...createAppSlice(...a),
}));
