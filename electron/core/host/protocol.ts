import type { Settings } from '../../../shared/settings';
import type { StoreKeyLocation } from '../db/cipher';
import type { SecretName, VaultInfo } from '../../../shared/contract/app';

/** Messages between Electron main and the core running in a utility process. Plain JSON only. */
export type MainToCore =
  | {
      type: 'init';
      dataDir: string;
      settings: Settings;
      secrets: Partial<Record<SecretName, string>>;
      vault: VaultInfo;
      /** pacer.db's key (hex) as main read or created it (electron/main/store-key.ts), and where it lives; null: none found. */
      storeKey: { hex: string | null; location: StoreKeyLocation };
    }
  | { type: 'call'; id: number; method: string; input: unknown }
  | { type: 'stage-path'; id: number; path: string }
  /** Main's answer to `secret:set`: whether the keychain stored it. */
  | { type: 'secret:saved'; id: number; result: SecretWriteResult }
  | { type: 'shutdown' };

export type SecretWriteResult = { ok: true } | { ok: false; cause: 'unavailable' | 'failed'; message: string };

export type CoreToMain =
  | { type: 'ready' }
  | { type: 'init-failed'; message: string; code?: string; details?: unknown }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'event'; event: string; payload: unknown }
  | { type: 'settings:set'; settings: Settings }
  | { type: 'secret:set'; id: number; name: SecretName; value: string | null }
  | { type: 'closed' };
