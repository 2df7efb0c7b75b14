import path from 'node:path';
import Store from 'electron-store';
import { settingsSchema, type Settings } from '../../shared/settings';
import { BrokenFileError } from './startup-error';

/**
 * electron-store over DATA_DIR/settings.json: the same file the CLI's conf store reads. A file
 * that is not JSON makes electron-store throw; that becomes a BrokenFileError so startup can offer
 * to put the file aside instead of leaving an invisible process behind.
 */
export function openSettingsFile(dataDir: string) {
  const file = path.join(dataDir, 'settings.json');
  const store = BrokenFileError.guard(file, () => {
    const s = new Store<Record<string, unknown>>({ cwd: dataDir, name: 'settings' });
    void s.store; // read now, so a broken file fails here and not in a later call
    return s;
  });
  return {
    path: file,
    read(): Settings {
      const r = settingsSchema.safeParse(store.store);
      return r.success ? r.data : settingsSchema.parse({});
    },
    write(s: Settings) {
      store.set(s as unknown as Record<string, unknown>);
    },
  };
}
