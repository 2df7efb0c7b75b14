import path from 'node:path';
import { safeStorage } from 'electron';
import Store from 'electron-store';
import type { SecretName, VaultInfo } from '../../shared/contract/app';
import { SECRET_NAMES } from '../../shared/contract/app';
import type { SecretWriteResult } from '../core/host/protocol';
import { BrokenFileError } from './startup-error';

/**
 * Secrets encrypted with the OS keychain (safeStorage) in their own file, apart from settings.
 * Uses Electron's asynchronous safeStorage API (the synchronous one is deprecated in 45 and gone
 * in 46; ciphertext written by it decrypts with the async one). On Linux without a secret service
 * safeStorage falls back to a hard-coded key ("basic_text"): we still store, but the UI shows a
 * warning. When no encryption is available at all ("unavailable") nothing is stored, and a save
 * says so instead of pretending.
 */
const STORE_KEY_ENTRY = 'store_key';

export class SafeStorageVault {
  private store: Store<Record<string, string>>;
  /** The decrypted values main hands to a (re)started core. */
  private values: Partial<Record<SecretName, string>> = {};

  constructor(
    dataDir: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.store = BrokenFileError.guard(path.join(dataDir, 'secrets.json'), () => {
      const s = new Store<Record<string, string>>({ cwd: dataDir, name: 'secrets' });
      void s.store;
      return s;
    });
  }

  async info(): Promise<VaultInfo> {
    if (!(await this.available())) return { backend: 'safe-storage', secure: false, warning: 'unavailable' };
    if (this.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      return { backend: 'safe-storage', secure: false, warning: 'basic_text' };
    }
    return { backend: 'safe-storage', secure: true, warning: null };
  }

  /** Decrypts every stored secret once; re-encrypts those safeStorage asks to (a rotated key). */
  async readAll(
    onProblem: (what: string, name: SecretName, error: unknown) => void = () => undefined,
  ): Promise<Partial<Record<SecretName, string>>> {
    const out: Partial<Record<SecretName, string>> = {};
    for (const name of SECRET_NAMES) {
      const blob = this.store.get(name);
      if (!blob) continue;
      try {
        const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(blob, 'base64'));
        out[name] = result;
        if (shouldReEncrypt) {
          try {
            this.store.set(name, (await safeStorage.encryptStringAsync(result)).toString('base64'));
          } catch (e) {
            onProblem('re-encrypt', name, e); // the old ciphertext still decrypts: keep it
          }
        }
      } catch (e) {
        onProblem('decrypt', name, e); // unreadable (keyring changed, locked): treated as not set
      }
    }
    this.values = { ...out };
    return out;
  }

  /** The secrets as last read or saved (for a core that restarts). */
  current(): Partial<Record<SecretName, string>> {
    return { ...this.values };
  }

  /** Stores (or with null, forgets) a secret. Never throws: the answer says what happened. */
  async write(name: SecretName, value: string | null): Promise<SecretWriteResult> {
    try {
      if (value === null) {
        this.store.delete(name);
        delete this.values[name];
        return { ok: true };
      }
      if (!(await this.available())) {
        return { ok: false, cause: 'unavailable', message: 'No system keychain is available to encrypt secrets, so nothing was saved.' };
      }
      this.store.set(name, (await safeStorage.encryptStringAsync(value)).toString('base64'));
      this.values[name] = value;
      return { ok: true };
    } catch (e) {
      return { ok: false, cause: 'failed', message: `The secret could not be saved: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  /**
   * pacer.db's key (electron/main/store-key.ts), kept like the secrets under its own entry but never
   * among the named secrets the UI sees. null when none is stored; throws when one is stored but the
   * keychain cannot decrypt it (locked, changed) — the caller must not make a new one then.
   */
  async readStoreKey(): Promise<Buffer | null> {
    const blob = this.store.get(STORE_KEY_ENTRY);
    if (!blob) return null;
    const { result } = await safeStorage.decryptStringAsync(Buffer.from(blob, 'base64'));
    return Buffer.from(result, 'hex');
  }

  /** Stores a new store key; throws when the keychain cannot encrypt it (then nothing is stored). */
  async writeStoreKey(key: Buffer): Promise<void> {
    if (!(await this.available())) throw new Error('No system keychain is available.');
    this.store.set(STORE_KEY_ENTRY, (await safeStorage.encryptStringAsync(key.toString('hex'))).toString('base64'));
  }

  async keychainAvailable(): Promise<boolean> {
    return this.available();
  }

  private async available(): Promise<boolean> {
    try {
      return await safeStorage.isAsyncEncryptionAvailable();
    } catch {
      return false;
    }
  }
}
