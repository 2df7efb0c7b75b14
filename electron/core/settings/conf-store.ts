import Conf from 'conf';
import { FileSettingsStore, type SettingsStore } from './store';

/** Settings in DATA_DIR/settings.json — the same file and format electron-store writes in the app. */
export function createConfSettingsStore(dataDir: string): SettingsStore {
  const conf = new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'settings', projectName: 'pacer' });
  return new FileSettingsStore(conf);
}
