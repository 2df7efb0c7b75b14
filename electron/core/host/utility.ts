// Entry of the core inside Electron's utilityProcess (dist/electron/core-host.mjs). Plain Node:
// the UI thread stays free while imports, sends and webhooks run here.
import { createCore, type Core } from '../index';
import { startRuntime } from '../runtime';
import type { SecretName } from '../../../shared/contract/app';
import type { CoreToMain, MainToCore, SecretWriteResult } from './protocol';
import { MirroredVault, mirroredSettings } from './remote';
import { PacerError } from '../errors';
import { HandedStoreKeyVault } from '../secrets/store-key';

interface ParentPort {
  on(event: 'message', listener: (e: { data: MainToCore }) => void): void;
  postMessage(message: CoreToMain): void;
}
const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!port) throw new Error('core-host must run in an Electron utility process');

let core: Core | null = null;
const post = (m: CoreToMain) => port.postMessage(m);

/** Secrets waiting for main to say whether the keychain stored them. */
let nextSecretId = 1;
const secretWrites = new Map<number, (r: SecretWriteResult) => void>();
const persistSecret = (name: SecretName, value: string | null) =>
  new Promise<SecretWriteResult>((resolve) => {
    const id = nextSecretId++;
    secretWrites.set(id, resolve);
    post({ type: 'secret:set', id, name, value });
  });

port.on('message', async ({ data: msg }) => {
  switch (msg.type) {
    case 'init': {
      try {
        core = createCore({
          dataDir: msg.dataDir,
          host: 'electron',
          settings: mirroredSettings(msg.settings, (settings) => post({ type: 'settings:set', settings })),
          secrets: new MirroredVault(msg.secrets, msg.vault, persistSecret),
          storeKeys: new HandedStoreKeyVault(
            msg.storeKey.hex ? Buffer.from(msg.storeKey.hex, 'hex') : null,
            msg.storeKey.location,
            msg.dataDir,
          ),
        });
        core.onAny((event, payload) => post({ type: 'event', event, payload }));
        await startRuntime(core, { fallbackToFreePort: true });
        post({ type: 'ready' });
      } catch (e) {
        // A PacerError's code travels too: main shows store_key_missing / store_key_wrong translated.
        const coded = e instanceof PacerError ? { code: e.code, details: e.details } : {};
        post({ type: 'init-failed', message: e instanceof Error ? e.message : String(e), ...coded });
      }
      return;
    }
    case 'call': {
      const result = core
        ? await core.dispatch(msg.method, msg.input)
        : { ok: false, code: 'unavailable', message: 'The core is not ready.' };
      post({ type: 'result', id: msg.id, result });
      return;
    }
    case 'secret:saved': {
      secretWrites.get(msg.id)?.(msg.result);
      secretWrites.delete(msg.id);
      return;
    }
    case 'stage-path': {
      try {
        const staged = core!.ctx.files.stagePath(msg.path);
        post({ type: 'result', id: msg.id, result: { ok: true, value: { fileId: staged.fileId, name: staged.name, size: staged.size } } });
      } catch (e) {
        post({ type: 'result', id: msg.id, result: { ok: false, code: 'bad_input', message: e instanceof Error ? e.message : String(e) } });
      }
      return;
    }
    case 'shutdown': {
      await core?.close();
      post({ type: 'closed' });
      setTimeout(() => process.exit(0), 50);
    }
  }
});
