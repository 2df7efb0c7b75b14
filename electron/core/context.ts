import type { EventMap, EventName } from '../../shared/contract';
import type { Clock } from './clock';
import type { Db } from './db/connection';
import type { Logger } from './log';
import type { SecretVault } from './secrets/vault';
import type { SettingsStore } from './settings/store';
import type { FileStaging } from './files/staging';
import type { GraphFetch } from './http/graph-transport';

export type Host = 'electron' | 'harness' | 'cli';

/** What every domain module gets: the store, time, settings, secrets, logging, events, HTTP. */
export interface CoreContext {
  readonly dataDir: string;
  readonly host: Host;
  readonly version: string;
  readonly db: Db;
  readonly clock: Clock;
  readonly settings: SettingsStore;
  readonly secrets: SecretVault;
  readonly log: Logger;
  readonly fetch: typeof fetch;
  /** Graph API calls: undici's request on a pool of its own (http/graph-transport.ts), or the injected fetch. */
  readonly graphFetch: GraphFetch;
  /** Files picked in the UI, staged for an import. */
  readonly files: FileStaging;
  emit<E extends EventName>(event: E, payload: EventMap[E]): void;
  /** Registers work to run on close (stop timers, let in-flight work finish, close servers). */
  onClose(fn: () => void | Promise<void>): void;
}
