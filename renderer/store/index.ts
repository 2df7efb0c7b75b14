import { create } from 'zustand';
import { createAppSlice, type AppSlice } from './slices/app';
import { createUiSlice, type UiSlice } from './slices/ui';
import { createContactsSlice, type ContactsSlice } from './slices/contacts';
import { createAccountSlice, type AccountSlice } from './slices/account';
import { createTemplatesSlice, type TemplatesSlice } from './slices/templates';
import { createCampaignsSlice, type CampaignsSlice } from './slices/campaigns';

/** One store of domain slices. Components select narrowly: useStore((s) => s.location). */
export type AppState = UiSlice & AppSlice & ContactsSlice & AccountSlice & TemplatesSlice & CampaignsSlice;

export const useStore = create<AppState>()((...a) => ({
  ...createUiSlice(...a),
  ...createAppSlice(...a),
  ...createContactsSlice(...a),
  ...createAccountSlice(...a),
  ...createTemplatesSlice(...a),
  ...createCampaignsSlice(...a),
}));
