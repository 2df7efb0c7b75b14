import type { SecretName, VaultInfo } from '../../../shared/contract/app';
import type { Settings } from '../../../shared/settings';
import { FileSettingsStore, type SettingsStore } from '../settings/store';
import { SecretNotSavedError, type SecretVault } from '../secrets/vault';
import type { SecretWriteResult } from './protocol';

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

/**
 * Secrets decrypted by main at start; a change is encrypted and stored by main (safeStorage is
 * main-only), and only once main says it is stored does the core use the new value — so the core
 * never believes a secret was saved when the keychain refused it.
 */
export class MirroredVault implements SecretVault {
  private values: Map<SecretName, string>;
  constructor(
    initial: Partial<Record<SecretName, string>>,
    private readonly meta: VaultInfo,
    private readonly persist: (name: SecretName, value: string | null) => Promise<SecretWriteResult>,
  ) {
    this.values = new Map(Object.entries(initial) as [SecretName, string][]);
  }
  info() {
    return this.meta;
  }
  get(name: SecretName) {
    return this.values.get(name) ?? null;
  }
  async set(name: SecretName, value: string) {
    await this.stored(name, value);
    this.values.set(name, value);
  }
  async clear(name: SecretName) {
    await this.stored(name, null);
    this.values.delete(name);
  }
  private async stored(name: SecretName, value: string | null): Promise<void> {
    const r = await this.persist(name, value);
    if (!r.ok) throw new SecretNotSavedError(r.message, r.cause);
  }
}
