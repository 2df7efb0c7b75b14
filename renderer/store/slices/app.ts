import type { StateCreator } from 'zustand';
import type { AppInfo, EngineStatus, SecretName, SecretStatus } from '../../../shared/contract/app';
import type { Language, Settings, SettingsPatch } from '../../../shared/settings';
import { api, unwrap } from '../../api/client';
import { applyLanguage, resolveLanguage } from '../../i18n';
import type { AppState } from '../index';
import { errorText } from '../../i18n/errorText';

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

const systemTheme = (): Theme => (window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');

export const createAppSlice: StateCreator<AppState, [], [], AppSlice> = (set, get) => {
  const applySettings = async (settings: Settings) => {
    const language = resolveLanguage(settings.language);
    const theme = settings.theme === 'system' ? systemTheme() : settings.theme;
    document.documentElement.dataset.theme = theme;
    await applyLanguage(language);
    set({ settings, language, theme });
  };
  return {
    info: null,
    settings: null,
    secrets: null,
    language: 'en',
    theme: 'light',
    bootError: null,
    engineStatus: null,
    ticks: { marketing: 0, contacts: 0 },
    settingsChanged: (s) => void applySettings(s),
    setEngineStatus: (engineStatus) => set({ engineStatus }),
    async loadSecrets() {
      const r = await api.call('secrets:status', {});
      if (r.ok) set({ secrets: r.value });
    },
    async bootstrap() {
      try {
        const [info, settings, secrets] = await Promise.all([
          unwrap(api.call('app:info', {})),
          unwrap(api.call('settings:get', {})),
          unwrap(api.call('secrets:status', {})),
        ]);
        set({ info, secrets });
        await applySettings(settings);
        window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => {
          const s = get().settings;
          if (s) void applySettings(s);
        });
      } catch (e) {
        set({ bootError: e instanceof Error ? e.message : String(e) });
      }
    },
    async updateSettings(patch) {
      const r = await api.call('settings:update', patch);
      if (r.ok) await applySettings(r.value);
      else get().toast('error', errorText(r));
    },
  };
};
