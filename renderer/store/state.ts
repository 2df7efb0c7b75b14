/**
 * The store's shape: each slice's state and actions (the behaviour is in slices/, one file per
 * area), and AppState, all of them in one store (index.ts). Kept apart from the slices so a slice
 * reads the whole state's type without importing the store that is made of it.
 */
import type { AppInfo, EngineStatus, SecretName, SecretStatus } from '../../shared/contract/app';
import type { InputOf } from '../../shared/contract';
import type { CampaignAlert, CampaignProgress, CampaignSummary } from '../../shared/contract/campaigns';
import type { CampaignsOverview } from '../../shared/contract/campaign-reports';
import type { ContactFilter, ContactsStats, ImportJob, ImportProgress, Segment } from '../../shared/contract/contacts';
import type {
  AccountHistory,
  AccountStatus,
  BusinessProfile,
  ConnectErrorDetails,
  ConnectInput,
  TemplateDetail,
  TemplateSummary,
  TemplateSyncResult,
} from '../../shared/contract/whatsapp';
import type { Language, Settings, SettingsPatch } from '../../shared/settings';
import type { Location, Route } from './location';

/** One store of domain slices. Components select narrowly: useStore((s) => s.location). */
export type AppState = UiSlice & AppSlice & ContactsSlice & AccountSlice & TemplatesSlice & CampaignsSlice;

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

export type Theme = 'light' | 'dark';

export interface AppSlice {
  info: AppInfo | null;
  settings: Settings | null;
  secrets: Record<SecretName, SecretStatus> | null;
  language: Language;
  theme: Theme;
  bootError: string | null;
  /** The desktop engine's last restart notice (only Electron main sends `app:engine`); null when dismissed. */
  engineStatus: EngineStatus | null;
  /**
   * Counters bumped by the one event subscription (store/events.ts) for views that re-read on their
   * own (the Marketing Messages card, BSUID-only people): they depend on the counter, not on api.on.
   */
  ticks: { marketing: number; contacts: number };
  bootstrap(): Promise<void>;
  /** From the one event subscription (store/events.ts): settings changed in the core. */
  settingsChanged(settings: Settings): void;
  setEngineStatus(status: EngineStatus | null): void;
  /** Re-reads which secrets are stored (after the account changed: Settings and Account agree). */
  loadSecrets(): Promise<void>;
  updateSettings(patch: SettingsPatch): Promise<void>;
}

/** The table's filter without defaults: an empty object means "every contact". */
export type ContactsFilter = Omit<ContactFilter, 'consentCategory'> & { consentCategory?: ContactFilter['consentCategory'] };

export interface ContactsSlice {
  contactsFilter: ContactsFilter;
  /** Bumped whenever contacts change in the core; the table drops its cached rows and refetches. */
  contactsVersion: number;
  /** Explicitly selected row ids; `selectAllMatching` selects every row matching the filter instead. */
  selectedIds: ReadonlySet<number>;
  selectAllMatching: boolean;
  contactTags: { name: string; count: number }[];
  segments: Segment[];
  contactsStats: ContactsStats | null;
  /**
   * What the core pushed about import jobs, by job id: the latest progress and, once it ended, the
   * job. Kept here (not in the wizard) so an event that arrives before the start call answers is not lost.
   */
  importFeed: Record<string, { progress: ImportProgress | null; result: ImportJob | null }>;
  importProgressArrived(p: ImportProgress): void;
  importFinished(job: ImportJob): void;
  setContactsFilter(patch: Partial<ContactsFilter>): void;
  clearContactsFilter(): void;
  toggleSelected(id: number): void;
  setSelectAllMatching(on: boolean): void;
  clearSelection(): void;
  /** Shorthands for go() on the contacts page: a contact's drawer (null closes it), the import wizard. */
  openContact(id: number | null): void;
  openImport(open: boolean): void;
  /** Tags, segments and counts for the filter bar and the dashboard. */
  loadContactFacets(): Promise<void>;
  contactsChanged(): void;
}

/** What a failed connect gives the wizard: a message, and the field to put it under when known. */
export interface ConnectFailure {
  code: string;
  message: string;
  details: ConnectErrorDetails | null;
}

export type ProfilePatch = Omit<InputOf<'account:profile-update'>, 'phoneNumberId'>;

export interface AccountSlice {
  /** null until the first account:status answer. */
  account: AccountStatus | null;
  accountError: string | null;
  /** 'sandbox' | 'connect' | 'refresh' | 'disconnect' while one runs. */
  accountBusy: 'sandbox' | 'connect' | 'refresh' | 'disconnect' | null;
  accountHistory: AccountHistory | null;
  /** Business profile per phone number id. */
  profiles: Record<string, BusinessProfile>;
  /** Whether the setup wizard is open (first run from the Dashboard, or from Account / Settings). */
  wizardOpen: boolean;
  /** Where the wizard starts: the two choices, or straight at the Meta form (a new token for a live account). */
  wizardStart: 'choose' | 'meta';
  initAccount(): Promise<void>;
  loadAccount(): Promise<void>;
  loadAccountHistory(days?: number): Promise<void>;
  openWizard(start?: 'choose' | 'meta'): void;
  closeWizard(): void;
  useSandbox(): Promise<boolean>;
  connectAccount(input: ConnectInput): Promise<ConnectFailure | null>;
  refreshAccount(): Promise<void>;
  disconnectAccount(forgetSecrets: boolean): Promise<void>;
  loadProfile(phoneNumberId: string): Promise<string | null>;
  updateProfile(phoneNumberId: string, patch: ProfilePatch): Promise<string | null>;
}

export interface TemplatesSlice {
  /** null until loaded once. Filters are applied in the page (the list is small: ≤ 6,000 per WABA). */
  templates: TemplateSummary[] | null;
  templatesError: string | null;
  syncing: boolean;
  lastSync: TemplateSyncResult | null;
  /** The template open in the detail panel, with its history. */
  templateDetail: TemplateDetail | null;
  initTemplates(): Promise<void>;
  /** From the one event subscription (store/events.ts). */
  templatesChanged(): void;
  loadTemplates(): Promise<void>;
  syncTemplates(): Promise<void>;
  openTemplate(id: string): Promise<void>;
  closeTemplate(): void;
}

/** Which campaigns screen is open: the list, the builder (new, or editing a saved draft), or one campaign. */
export type CampaignView = { kind: 'list' } | { kind: 'builder'; id: string | null } | { kind: 'detail'; id: string };

export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel' | 'duplicate' | 'delete';

export interface CampaignsSlice {
  /** null until loaded once. */
  campaigns: CampaignSummary[] | null;
  campaignsError: string | null;
  /** Latest pushed progress per campaign (batched ~10 Hz); newer than the list's counts while sending. */
  campaignProgress: Record<string, CampaignProgress>;
  /** Watchdog alerts not dismissed yet, newest first. */
  campaignAlerts: CampaignAlert[];
  /** Bumped on campaigns:changed / progress flushes: open pages refetch what they show. */
  campaignsVersion: number;
  campaignsOverview: CampaignsOverview | null;
  initCampaigns(): Promise<void>;
  loadCampaigns(): Promise<void>;
  loadCampaignsOverview(): Promise<void>;
  /** Shorthand for go(): the list, the builder or one campaign's page (see Location in ui.ts). */
  openCampaigns(view: CampaignView): void;
  /** From the one event subscription (store/events.ts): a batch of pushed progress. */
  campaignProgressArrived(batch: CampaignProgress[]): void;
  /** From the one event subscription: something about a campaign changed in the core. */
  campaignsChanged(): void;
  campaignAlertArrived(alert: CampaignAlert): void;
  /** Runs a lifecycle action; returns the updated campaign (or null, with a toast, on failure). */
  campaignAction(id: string, action: CampaignAction): Promise<CampaignSummary | null>;
  dismissCampaignAlert(alert: CampaignAlert): void;
}
