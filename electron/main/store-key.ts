import crypto from 'node:crypto';
import path from 'node:path';
import { STORE_KEY_BYTES, storeFileState, type StoreKeyLocation } from '../core/db/cipher';
import { KeyFileStoreKeyVault } from '../core/secrets/store-key';
import type { SafeStorageVault } from './vault';

/**
 * The desktop app's key for pacer.db, read (or, for a fresh or a plaintext store, created) by main
 * before the core starts, and handed to it in `init` (the core cannot reach safeStorage).
 * Where it lives:
 * - the OS keychain through safeStorage (secrets.json, entry `store_key`) — the normal case;
 * - a key file (as for the CLI: outside the data folder, 0600) when no keychain is available, or when
 *   one already exists for this folder (the folder was created by `pacer serve` / the CLI), or when
 *   PACER_DB_KEY / PACER_DB_KEY_FILE say so.
 * An encrypted store whose key is in neither place gets `hex: null`: the core then refuses with
 * store_key_missing (it never makes a new store over it).
 */
export async function resolveStoreKey(
  dataDir: string,
  vault: SafeStorageVault,
  env: NodeJS.ProcessEnv,
  onProblem: (e: unknown) => void = () => undefined,
): Promise<{ hex: string | null; location: StoreKeyLocation }> {
  const keyFile = new KeyFileStoreKeyVault(dataDir, env);
  const fromFile = () => ({ hex: keyFile.read()?.toString('hex') ?? null, location: keyFile.location() });
  if (env.PACER_DB_KEY || env.PACER_DB_KEY_FILE) return fromFile();
  const state = storeFileState(path.join(dataDir, 'pacer.db'));
  const keychain: StoreKeyLocation = { kind: 'keychain' };
  if (await vault.keychainAvailable()) {
    let stored: Buffer | null;
    try {
      stored = await vault.readStoreKey();
    } catch (e) {
      onProblem(e); // stored but not decryptable: never replace it; the core reports the store's state
      return { hex: null, location: keychain };
    }
    if (stored) return { hex: stored.toString('hex'), location: keychain };
    const file = fromFile();
    if (file.hex) return file;
    if (state === 'encrypted') return { hex: null, location: keychain };
    const key = crypto.randomBytes(STORE_KEY_BYTES);
    await vault.writeStoreKey(key);
    return { hex: key.toString('hex'), location: keychain };
  }
  const file = fromFile();
  if (file.hex || state === 'encrypted') return file;
  return { hex: keyFile.create().toString('hex'), location: keyFile.location() };
}
