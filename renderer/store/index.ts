import { create } from 'zustand';
import { createAppSlice } from './slices/app';
import { createUiSlice } from './slices/ui';
import { createContactsSlice } from './slices/contacts';
import { createAccountSlice } from './slices/account';
import { createTemplatesSlice } from './slices/templates';
import { createCampaignsSlice } from './slices/campaigns';
import type { AppState } from './state';

/** One store of domain slices (their shape: state.ts). Components select narrowly: useStore((s) => s.location). */
export const useStore = create<AppState>()((...a) => ({
  ...createUiSlice(...a),
  ...createAppSlice(...a),
  ...createContactsSlice(...a),
  ...createAccountSlice(...a),
  ...createTemplatesSlice(...a),
  ...createCampaignsSlice(...a),
}));
