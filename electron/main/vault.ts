import { safeStorage } from 'electron';
import Store from 'electron-store';
import type { SecretName, VaultInfo } from '../../shared/contract/app';
import { SECRET_NAMES } from '../../shared/contract/app';

/**
 * Secrets encrypted with the OS keychain (safeStorage) in their own file, apart from settings.
 * On Linux without a secret service safeStorage falls back to a hard-coded key ("basic_text"):
 * we still store, but the UI shows a visible warning.
 */
export class SafeStorageVault {
  private store: Store<Record<string, string>>;

  constructor(dataDir: string) {
    this.store = new Store<Record<string, string>>({ cwd: dataDir, name: 'secrets' });
  }

  info(): VaultInfo {
    const available = safeStorage.isEncryptionAvailable();
    const basic = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
    if (!available || basic) {
      return {
        backend: 'safe-storage',
        secure: false,
        warning: 'basic_text',
      };
    }
    return { backend: 'safe-storage', secure: true, warning: null };
  }

  readAll(): Partial<Record<SecretName, string>> {
    const out: Partial<Record<SecretName, string>> = {};
    for (const name of SECRET_NAMES) {
      const blob = this.store.get(name);
      if (!blob) continue;
      try {
        out[name] = safeStorage.decryptString(Buffer.from(blob, 'base64'));
      } catch {
        /* unreadable (keyring changed): treated as not set */
      }
    }
    return out;
  }

  write(name: SecretName, value: string | null): void {
    if (value === null) this.store.delete(name);
    else this.store.set(name, safeStorage.encryptString(value).toString('base64'));
  }
}
