import fs from 'node:fs';
import { marketingStatus } from './whatsapp/mm-status';
import path from 'node:path';
import type { EventMap, EventName, MethodName, OutputOf, Result } from '../../shared/contract';
import { createDispatcher } from './api/dispatcher';
import type { CallContext, Handlers } from './api/handlers';
import { appHandlers } from './app-handlers';
import { accountHandlers } from './account/handlers';
import { templatesHandlers } from './templates/handlers';
import { contactsHandlers } from './contacts/handlers';
import { webhooksHandlers } from './webhooks/handlers';
import { campaignsHandlers } from './campaigns/handlers';
import { campaignReportsHandlers } from './campaigns/report-handlers';
import { attachServices, composeServices, type CoreServices } from './compose';
import { auditHandlers } from './audit/handlers';
import { withAudit } from './audit/audited-handlers';
import { campaignById } from './campaigns/store/campaigns';
import { repliesHandlers } from './contacts/replies-handlers';
import { retargetHandlers } from './campaigns/retarget';
import { paceHandlers } from './campaigns/pace';
import { systemClock, type Clock } from './clock';
import type { CoreContext, Host } from './context';
import { storeKeyOf, type Db } from './db/connection';
import { sweepLeftovers } from './privacy/backups';
import { openStore, type UNENCRYPTED_FOR_BENCHMARKS } from './db/open-store';
import { acquireDataDirLock, type DataDirLock } from './db/lock';
import { migrate } from './db/migrate';
import { migrations } from './db/migrations';
import { createLogger, type Logger } from './log';
import { KeyFileVault } from './secrets/key-file-vault';
import { KeyFileStoreKeyVault, type StoreKeyVault } from './secrets/store-key';
import { allSecretValues, type SecretVault } from './secrets/vault';
import { createConfSettingsStore } from './settings/conf-store';
import type { SettingsStore } from './settings/store';
import { PACER_VERSION } from './version';
import { FileStaging } from './files/staging';
import { createGraphTransport } from './http/graph-transport';
import { trustedCertificates } from './http/trust';

export interface CoreOptions {
  dataDir: string;
  host: Host;
  clock?: Clock;
  secrets?: SecretVault;
  /** Where pacer.db's key lives (docs/security.md): the app hands main's; default the key file. */
  storeKeys?: StoreKeyVault | typeof UNENCRYPTED_FOR_BENCHMARKS;
  settings?: SettingsStore;
  fetch?: typeof fetch;
  log?: Logger;
  /** Echo log lines (e.g. to stderr in `pacer run`). */
  echoLog?: (line: string) => void;
}

export interface Core {
  readonly ctx: CoreContext;
  readonly db: Db;
  /** Every domain service of this core, built once by compose.ts (the CLI, the runtime and tests use these). */
  readonly services: CoreServices;
  call<M extends MethodName>(method: M, input: unknown, callCtx?: CallContext): Promise<Result<OutputOf<M>>>;
  /** Same as call, for transports that receive an untrusted method name. */
  dispatch(method: string, input: unknown, callCtx?: CallContext): Promise<Result<unknown>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  onAny(listener: <E extends EventName>(event: E, payload: EventMap[E]) => void): () => void;
  close(): Promise<void>;
}

/**
 * Builds the core: one module graph for the Electron app (in a utility process), the browser
 * harness and the CLI. Takes the data-dir lock, opens and migrates the store, builds the context,
 * then the services (compose.ts) and the contract's handler table from each domain's handlers.
 */
export function createCore(opts: CoreOptions): Core {
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const lock: DataDirLock = acquireDataDirLock(opts.dataDir, opts.host);
  let db: Db | undefined;
  try {
    const secrets = opts.secrets ?? new KeyFileVault(opts.dataDir);
    const log =
      opts.log ??
      createLogger({
        file: path.join(opts.dataDir, 'logs', 'pacer.log'),
        secrets: () => allSecretValues(secrets),
        ...(opts.echoLog ? { echo: opts.echoLog } : {}),
      });
    const dbFile = path.join(opts.dataDir, 'pacer.db');
    db = openStore({
      dataDir: opts.dataDir,
      keys: opts.storeKeys ?? new KeyFileStoreKeyVault(opts.dataDir),
      now: () => (opts.clock ?? systemClock).now(),
    });
    const clock = opts.clock ?? systemClock;
    const result = migrate(db, migrations, { dbFile, backupDir: path.join(opts.dataDir, 'backups'), now: () => clock.now() });
    if (result.applied.length) log.info('migrated', { from: result.from, to: result.to, backups: result.backups });
    // What a crashed run left (staged uploads, import staging, a plaintext backup) goes now (privacy/backups.ts).
    sweepLeftovers(opts.dataDir, storeKeyOf(db), log);

    const settings = opts.settings ?? createConfSettingsStore(opts.dataDir);
    // Tests inject `fetch` to see Graph calls; otherwise Graph goes through the cheaper transport,
    // trusting the extra CAs settings.json names (a corporate TLS proxy; read once, at start).
    const ca = opts.fetch ? undefined : trustedCertificates(settings.get(), log);
    const graphTransport = createGraphTransport(ca ? { ca } : {});
    const listeners = new Set<(event: EventName, payload: unknown) => void>();
    const closers: (() => void | Promise<void>)[] = [];
    const ctx: CoreContext = {
      dataDir: opts.dataDir,
      host: opts.host,
      version: PACER_VERSION,
      db,
      clock,
      settings,
      secrets,
      log,
      fetch: opts.fetch ?? globalThis.fetch.bind(globalThis),
      graphFetch: opts.fetch ?? graphTransport.fetch,
      files: new FileStaging(opts.dataDir),
      emit: (event, payload) => listeners.forEach((l) => l(event, payload)),
      onClose: (fn) => closers.push(fn),
    };
    ctx.settings.onChange((s) => ctx.emit('settings:changed', s));
    ctx.onClose(() => ctx.files.discardAll());
    ctx.onClose(() => graphTransport.close());

    const services = composeServices(ctx);
    attachServices(ctx, services);
    // Finish indexing left over from a previous run (e.g. the app closed right after an import).
    void services.contacts.indexer.kick();

    const handlers: Handlers = withAudit(
      ctx,
      {
        ...appHandlers(ctx),
        ...accountHandlers(services.account),
        ...templatesHandlers(services.templates, services.templateSubmit),
        'marketing:status': () => marketingStatus(ctx),
        ...contactsHandlers(ctx, { service: services.contacts, imports: services.imports }),
        ...webhooksHandlers(services.webhooks),
        ...campaignsHandlers(ctx, { campaigns: services.campaigns, account: services.account }),
        ...campaignReportsHandlers(ctx),
        ...auditHandlers(ctx),
        ...repliesHandlers(ctx, services.contacts),
        ...retargetHandlers(ctx),
        ...paceHandlers(ctx, (id) => services.campaigns.paceChanged(id)),
      },
      // Entries name their campaign (a search of the trail by name finds its resends and exports too).
      { campaignName: (id) => campaignById(ctx.db, id)?.name ?? null },
    );
    const dispatch = createDispatcher(handlers, log);
    const openDb = db;
    let closed: Promise<void> | null = null;

    return {
      ctx,
      db: openDb,
      services,
      call: (method, input, callCtx) => dispatch(method, input, callCtx),
      dispatch: (method, input, callCtx) => dispatch(method, input, callCtx),
      on(event, listener) {
        const l = (e: EventName, p: unknown) => {
          if (e === event) listener(p as EventMap[typeof event]);
        };
        listeners.add(l);
        return () => listeners.delete(l);
      },
      onAny(listener) {
        const l = (e: EventName, p: unknown) => listener(e, p as EventMap[typeof e]);
        listeners.add(l);
        return () => listeners.delete(l);
      },
      close() {
        closed ??= (async () => {
          // Stop producers first (scheduler, servers), in reverse order of registration.
          for (const fn of closers.reverse()) {
            try {
              await fn();
            } catch (e) {
              log.error('close hook failed', { error: String(e) });
            }
          }
          listeners.clear();
          try {
            openDb.pragma('optimize');
          } catch {
            /* closing anyway */
          }
          openDb.close();
          lock.release();
        })();
        return closed;
      },
    };
  } catch (e) {
    db?.close();
    lock.release();
    throw e;
  }
}

export type { CoreContext } from './context';
