import path from 'node:path';
import { utilityProcess, type UtilityProcess } from 'electron';
import type { CoreToMain, MainToCore, SecretWriteResult } from '../core/host/protocol';
import type { StoreKeyLocation } from '../core/db/cipher';
import type { Settings } from '../../shared/settings';
import type { SecretName, VaultInfo } from '../../shared/contract/app';
import { fail, type ApiError, type MethodName } from '../../shared/contract';

/** What main tells the window when the engine stops on its own (see EngineStatus). */
export type CoreStatus = { state: 'restarting'; attempt: number; delayMs: number } | { state: 'restarted' } | { state: 'stopped' };

/** Back-off after a crash: 0.5 s, 2 s, 8 s; more than `maxCrashes` within `windowMs` and we give up. */
export interface RestartPolicy {
  delaysMs: number[];
  maxCrashes: number;
  windowMs: number;
}
export const DEFAULT_RESTART: RestartPolicy = { delaysMs: [500, 2_000, 8_000], maxCrashes: 3, windowMs: 60_000 };

export interface CoreHostOptions {
  bundleDir: string;
  dataDir: string;
  /** Read at every (re)start, so a restarted core gets the current settings and secrets. */
  settings(): Settings;
  secrets(): Partial<Record<SecretName, string>>;
  vault: VaultInfo;
  /** pacer.db's key, read or created by main before the first start (electron/main/store-key.ts). */
  storeKey: { hex: string | null; location: StoreKeyLocation };
  onEvent(event: string, payload: unknown): void;
  onSettings(s: Settings): void;
  /** Stores a secret; the answer goes back to the core (which then reports to the UI). */
  onSecret(name: SecretName, value: string | null): Promise<SecretWriteResult>;
  onStatus?(status: CoreStatus): void;
  /** The message of a call refused while the engine is down (in the app's language). */
  unavailableMessage?(status: 'restarting' | 'stopped'): string;
  restart?: RestartPolicy;
  now?(): number;
}

/**
 * Starts the core in a utility process and speaks its message protocol.
 *
 * Electron drops messages posted to a child that has exited, so a call to a dead core would never
 * settle: every pending call fails with `core_unavailable` the moment the child exits, and every
 * call until a new core is ready fails at once. The core is restarted with back-off; its
 * data-folder lock (pacer.lock, holding the dead child's pid) is taken over by the new core since
 * that pid is gone, and rows it was sending become 'uncertain' at the new core's start — never
 * resent automatically. Shutdown always ends within its timeout.
 */
/** The core could not start for a reason it named by code (e.g. store_key_missing): startup shows it translated. */
export class CoreInitError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}

export class CoreHost {
  private child: UtilityProcess | null = null;
  private live = false;
  private stopping = false;
  private gaveUp = false;
  private nextId = 1;
  private pending = new Map<number, (r: unknown) => void>();
  private readyPromise: Promise<void>;
  private firstStart: { resolve(): void; reject(e: Error): void } | null = null;
  private closed: (() => void) | null = null;
  private crashes: number[] = [];
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly policy: RestartPolicy;
  private readonly now: () => number;

  constructor(private readonly opts: CoreHostOptions) {
    this.policy = opts.restart ?? DEFAULT_RESTART;
    this.now = opts.now ?? Date.now;
    this.readyPromise = new Promise((resolve, reject) => {
      this.firstStart = { resolve, reject };
    });
    this.start();
  }

  /** Settles once, for the first start: a core that cannot start is a startup error, not a crash. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** True while a core answers calls. */
  get running(): boolean {
    return this.live;
  }

  private start(): void {
    const child = utilityProcess.fork(path.join(this.opts.bundleDir, 'core-host.mjs'), [], { serviceName: 'Pacer core', stdio: 'inherit' });
    this.child = child;
    child.on('message', (msg: CoreToMain) => this.onMessage(child, msg));
    child.on('exit', (code: number) => this.onExit(child, code));
    child.postMessage({
      type: 'init',
      dataDir: this.opts.dataDir,
      settings: this.opts.settings(),
      secrets: this.opts.secrets(),
      vault: this.opts.vault,
      storeKey: this.opts.storeKey,
    } satisfies MainToCore);
  }

  private onMessage(child: UtilityProcess, msg: CoreToMain): void {
    if (child !== this.child) return; // a child we already gave up on
    switch (msg.type) {
      case 'ready': {
        this.live = true;
        if (this.firstStart) {
          this.firstStart.resolve();
          this.firstStart = null;
        } else this.opts.onStatus?.({ state: 'restarted' });
        return;
      }
      case 'init-failed': {
        if (this.firstStart) {
          this.firstStart.reject(msg.code ? new CoreInitError(msg.message, msg.code, msg.details) : new Error(msg.message));
          this.firstStart = null;
          this.stopping = true; // nothing to restart: startup reports it
        }
        child.kill(); // a restart that cannot init counts as one more crash (onExit)
        return;
      }
      case 'result': {
        this.pending.get(msg.id)?.(msg.result);
        this.pending.delete(msg.id);
        return;
      }
      case 'event':
        return this.opts.onEvent(msg.event, msg.payload);
      case 'settings:set':
        return this.opts.onSettings(msg.settings);
      case 'secret:set': {
        const { id, name, value } = msg;
        void this.opts
          .onSecret(name, value)
          .catch((e: unknown): SecretWriteResult => ({ ok: false, cause: 'failed', message: String(e) }))
          .then((result) => this.post({ type: 'secret:saved', id, result }));
        return;
      }
      case 'closed':
        this.closed?.();
        return;
    }
  }

  private onExit(child: UtilityProcess, code: number): void {
    if (child !== this.child) return;
    this.child = null;
    this.live = false;
    this.failPending();
    if (this.firstStart) {
      this.firstStart.reject(new Error(`Pacer's engine exited while starting (code ${code}).`));
      this.firstStart = null;
      this.stopping = true;
    }
    if (this.stopping) {
      this.closed?.();
      return;
    }
    // An unexpected exit: restart with back-off, unless it keeps crashing.
    const t = this.now();
    this.crashes = [...this.crashes.filter((c) => t - c < this.policy.windowMs), t];
    if (this.crashes.length > this.policy.maxCrashes) {
      this.gaveUp = true;
      this.opts.onStatus?.({ state: 'stopped' });
      return;
    }
    const attempt = this.crashes.length;
    const delayMs = this.policy.delaysMs[Math.min(attempt, this.policy.delaysMs.length) - 1] ?? 0;
    this.opts.onStatus?.({ state: 'restarting', attempt, delayMs });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.stopping) this.start();
    }, delayMs);
  }

  private unavailable(): ApiError {
    const state = this.gaveUp ? 'stopped' : 'restarting';
    return fail('core_unavailable', this.opts.unavailableMessage?.(state) ?? "Pacer's engine is not running.", { state });
  }

  private failPending(): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const r of pending) r(this.unavailable());
  }

  private post(m: MainToCore): void {
    this.child?.postMessage(m);
  }

  private request(build: (id: number) => MainToCore): Promise<unknown> {
    if (!this.live || !this.child) return Promise.resolve(this.unavailable());
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.post(build(id));
    });
  }

  call(method: MethodName, input: unknown): Promise<unknown> {
    return this.request((id) => ({ type: 'call', id, method, input }));
  }

  stagePath(p: string): Promise<unknown> {
    return this.request((id) => ({ type: 'stage-path', id, path: p }));
  }

  /**
   * Clean shutdown: the core stops its scheduler, finishes in-flight work, closes servers and the
   * DB. Bounded: after `timeoutMs` the child is killed and this resolves anyway. Idempotent.
   */
  shutdown(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    this.live = false; // calls from now on fail at once instead of racing the close
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    if (!child) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        done();
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.closed = null;
        this.live = false;
        this.failPending();
        resolve();
      };
      this.closed = done;
      child.postMessage({ type: 'shutdown' } satisfies MainToCore);
    });
  }
}
