import Store from 'electron-store';
import { settingsSchema, type Settings } from '../../shared/settings';

/** electron-store over DATA_DIR/settings.json: the same file the CLI's conf store reads. */
export function openSettingsFile(dataDir: string) {
  const store = new Store<Record<string, unknown>>({ cwd: dataDir, name: 'settings' });
  return {
    read(): Settings {
      const r = settingsSchema.safeParse(store.store);
      return r.success ? r.data : settingsSchema.parse({});
    },
    write(s: Settings) {
      store.set(s as unknown as Record<string, unknown>);
    },
  };
}
