import { settingsSchema, type Settings, type SettingsPatch } from '../../../shared/settings';

/**
 * Typed settings, behind one interface with three backings: electron-store in the app's main
 * process, conf in plain Node (CLI, harness, tests), and a snapshot mirrored from main when the
 * core runs in a utility process.
 */
export interface SettingsStore {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
  onChange(listener: (settings: Settings) => void): () => void;
}

/** The part of conf / electron-store we use; both satisfy it. */
export interface KeyValueFile {
  store: Record<string, unknown>;
  set(object: Record<string, unknown>): void;
}

export class FileSettingsStore implements SettingsStore {
  private listeners = new Set<(s: Settings) => void>();
  constructor(private readonly file: KeyValueFile) {}

  get(): Settings {
    // Unknown or invalid values (hand-edited file, older version) fall back to defaults field by field.
    const parsed = settingsSchema.safeParse(this.file.store);
    if (parsed.success) return parsed.data;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(settingsSchema.shape)) {
      const r = field.safeParse(this.file.store[key]);
      out[key] = r.success ? r.data : field.parse(undefined);
    }
    return out as Settings;
  }

  update(patch: SettingsPatch): Settings {
    const next = settingsSchema.parse({ ...this.get(), ...patch });
    this.file.set(next);
    this.listeners.forEach((l) => l(next));
    return next;
  }

  onChange(listener: (s: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export class MemorySettingsStore extends FileSettingsStore {
  constructor(initial: Partial<Settings> = {}) {
    const file: KeyValueFile = {
      store: { ...initial },
      set: (o) => {
        file.store = { ...o };
      },
    };
    super(file);
  }
}
