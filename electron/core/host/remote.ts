import type { SecretName, VaultInfo } from '../../../shared/contract/app';
import type { Settings } from '../../../shared/settings';
import { FileSettingsStore, type SettingsStore } from '../settings/store';
import type { SecretVault } from '../secrets/vault';

/**
 * The core in a utility process cannot use electron-store or safeStorage (main-only). It keeps
 * a snapshot handed over at start and sends every change back to main, which persists it.
 */
export function mirroredSettings(initial: Settings, persist: (s: Settings) => void): SettingsStore {
  const file = {
    store: { ...initial } as Record<string, unknown>,
    set(o: Record<string, unknown>) {
      file.store = { ...o };
      persist(o as Settings);
    },
  };
  return new FileSettingsStore(file);
}

export class MirroredVault implements SecretVault {
  private values: Map<SecretName, string>;
  constructor(initial: Partial<Record<SecretName, string>>, private readonly meta: VaultInfo, private readonly persist: (name: SecretName, value: string | null) => void) {
    this.values = new Map(Object.entries(initial) as [SecretName, string][]);
  }
  info() { return this.meta; }
  get(name: SecretName) { return this.values.get(name) ?? null; }
  set(name: SecretName, value: string) { this.values.set(name, value); this.persist(name, value); }
  clear(name: SecretName) { this.values.delete(name); this.persist(name, null); }
}
