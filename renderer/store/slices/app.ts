import type { StateCreator } from 'zustand';
import type { Settings } from '../../../shared/settings';
import { api, unwrap } from '../../api/client';
import { applyLanguage, resolveLanguage } from '../../i18n';
import type { AppSlice, AppState, Theme } from '../state';
import { errorText } from '../../i18n/errorText';

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
