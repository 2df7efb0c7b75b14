import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock } from '../../../electron/core/db/lock';
import { MirroredVault } from '../../../electron/core/host/remote';
import type { SecretWriteResult } from '../../../electron/core/host/protocol';
import { testCore } from '../../support/core';
import { tempDataDir } from '../../support/harness';

const INFO = { backend: 'safe-storage', secure: false, warning: 'unavailable' } as const;

describe('secrets in the desktop app: the core believes only what main stored', () => {
  it('a save the keychain refused fails the call, with the reason, and the old value stays', async () => {
    let answer: SecretWriteResult = { ok: true };
    const asked: [string, string | null][] = [];
    const vault = new MirroredVault({ access_token: 'EAAold1234' }, INFO, async (name, value) => {
      asked.push([name, value]);
      return answer;
    });
    const core = testCore({ secrets: vault, host: 'electron' });
    try {
      answer = { ok: false, cause: 'unavailable', message: 'No system keychain is available to encrypt secrets, so nothing was saved.' };
      const r = await core.call('secrets:set', { name: 'access_token', value: 'EAAnew5678' });
      expect(r).toEqual({
        ok: false,
        code: 'unavailable',
        message: 'No system keychain is available to encrypt secrets, so nothing was saved.',
        details: { reason: 'secret_not_saved', cause: 'unavailable' },
      });
      expect(vault.get('access_token')).toBe('EAAold1234');
      expect(await core.call('secrets:status', {})).toMatchObject({ ok: true, value: { access_token: { set: true, last4: '1234' } } });

      answer = { ok: false, cause: 'failed', message: 'The secret could not be saved: disk full' };
      expect(await core.call('secrets:clear', { name: 'access_token' })).toMatchObject({
        ok: false,
        details: { reason: 'secret_not_saved', cause: 'failed' },
      });
      expect(vault.get('access_token')).toBe('EAAold1234');

      answer = { ok: true };
      expect(await core.call('secrets:set', { name: 'access_token', value: 'EAAnew5678' })).toMatchObject({
        ok: true,
        value: { access_token: { last4: '5678' } },
      });
      expect(vault.get('access_token')).toBe('EAAnew5678');
      expect(asked.map(([n, v]) => `${n}=${v}`)).toEqual(['access_token=EAAnew5678', 'access_token=null', 'access_token=EAAnew5678']);
      // The UI learns the keychain's state from app:info.
      expect(await core.call('app:info', {})).toMatchObject({ ok: true, value: { vault: { warning: 'unavailable' } } });
    } finally {
      await core.close();
    }
  });
});

describe('the data-folder lock of a core that was killed', () => {
  it('refuses while the holder lives, and is taken over once it was killed', async () => {
    const dataDir = tempDataDir();
    // A process standing in for a core's utility process that holds the lock.
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((r) => child.once('spawn', r));
    fs.writeFileSync(
      path.join(dataDir, 'pacer.lock'),
      JSON.stringify({ pid: child.pid, host: 'electron', since: new Date().toISOString() }),
    );
    expect(() => acquireDataDirLock(dataDir, 'electron')).toThrow(/already running/);

    child.kill('SIGKILL'); // as a crash: it never released its lock
    await new Promise((r) => child.once('exit', r));
    expect(fs.existsSync(path.join(dataDir, 'pacer.lock'))).toBe(true); // the stale lock is still there
    const lock = acquireDataDirLock(dataDir, 'electron'); // the restarted core takes it over
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'pacer.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    expect(fs.existsSync(path.join(dataDir, 'pacer.lock'))).toBe(false);
  });
});
