import type { Settings } from '../../../shared/settings';
import type { SecretName, VaultInfo } from '../../../shared/contract/app';

/** Messages between Electron main and the core running in a utility process. Plain JSON only. */
export type MainToCore =
  | { type: 'init'; dataDir: string; settings: Settings; secrets: Partial<Record<SecretName, string>>; vault: VaultInfo }
  | { type: 'call'; id: number; method: string; input: unknown }
  | { type: 'stage-path'; id: number; path: string }
  | { type: 'shutdown' };

export type CoreToMain =
  | { type: 'ready' }
  | { type: 'init-failed'; message: string }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'event'; event: string; payload: unknown }
  | { type: 'settings:set'; settings: Settings }
  | { type: 'secret:set'; name: SecretName; value: string | null }
  | { type: 'closed' };
