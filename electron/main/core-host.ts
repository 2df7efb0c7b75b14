import path from 'node:path';
import { utilityProcess, type UtilityProcess } from 'electron';
import type { CoreToMain, MainToCore } from '../core/host/protocol';
import type { Settings } from '../../shared/settings';
import type { SecretName, VaultInfo } from '../../shared/contract/app';
import type { MethodName } from '../../shared/contract';

/** Starts the core in a utility process and speaks its message protocol. */
export class CoreHost {
  private child: UtilityProcess;
  private nextId = 1;
  private pending = new Map<number, (r: unknown) => void>();
  private readyPromise: Promise<void>;
  private closedResolve: (() => void) | null = null;

  constructor(
    private readonly opts: {
      bundleDir: string;
      dataDir: string;
      settings: Settings;
      secrets: Partial<Record<SecretName, string>>;
      vault: VaultInfo;
      onEvent(event: string, payload: unknown): void;
      onSettings(s: Settings): void;
      onSecret(name: SecretName, value: string | null): void;
    },
  ) {
    this.child = utilityProcess.fork(path.join(opts.bundleDir, 'core-host.mjs'), [], { serviceName: 'Pacer core', stdio: 'inherit' });
    this.readyPromise = new Promise((resolve, reject) => {
      this.child.on('message', (msg: CoreToMain) => {
        switch (msg.type) {
          case 'ready': return resolve();
          case 'init-failed': return reject(new Error(msg.message));
          case 'result': this.pending.get(msg.id)?.(msg.result); this.pending.delete(msg.id); return;
          case 'event': return opts.onEvent(msg.event, msg.payload);
          case 'settings:set': return opts.onSettings(msg.settings);
          case 'secret:set': return opts.onSecret(msg.name, msg.value);
          case 'closed': this.closedResolve?.(); return;
        }
      });
      this.child.on('exit', (code) => {
        reject(new Error(`core exited with code ${code}`));
        this.closedResolve?.();
        for (const [, r] of this.pending) r({ ok: false, code: 'unavailable', message: 'The core stopped.' });
        this.pending.clear();
      });
    });
    this.send({ type: 'init', dataDir: opts.dataDir, settings: opts.settings, secrets: opts.secrets, vault: opts.vault });
  }

  ready(): Promise<void> {
    return this.readyPromise;
  }

  private send(m: MainToCore) {
    this.child.postMessage(m);
  }

  private request(build: (id: number) => MainToCore): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send(build(id));
    });
  }

  call(method: MethodName, input: unknown) {
    return this.request((id) => ({ type: 'call', id, method, input }));
  }

  stagePath(p: string) {
    return this.request((id) => ({ type: 'stage-path', id, path: p }));
  }

  /** Clean shutdown: the core stops its scheduler, finishes in-flight work, closes servers and the DB. */
  shutdown(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve) => {
      this.closedResolve = resolve;
      this.send({ type: 'shutdown' });
      setTimeout(() => { this.child.kill(); resolve(); }, timeoutMs).unref();
    });
  }
}
