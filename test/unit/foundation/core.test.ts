import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/index';
import { acquireDataDirLock } from '../../../electron/core/db/lock';
import { KeyFileVault } from '../../../electron/core/secrets/key-file-vault';
import { tempDataDir } from '../../support/harness';
import { testCore } from '../../support/core';

describe('core', () => {
  it('opens SQLite with WAL, foreign keys and a busy timeout', async () => {
    const core = testCore();
    expect(core.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(core.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(core.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    await core.close();
  });

  it('refuses a second instance on the same data dir with a clear message, and frees it on close', async () => {
    const dataDir = tempDataDir();
    const first = createCore({ dataDir, host: 'harness' });
    expect(() => createCore({ dataDir, host: 'cli' })).toThrow(/already running with this data folder \(harness, process \d+/);
    await first.close();
    const second = createCore({ dataDir, host: 'cli' });
    await second.close();
  });

  it('takes over a lock left by a process that died', () => {
    const dataDir = tempDataDir();
    fs.writeFileSync(path.join(dataDir, 'pacer.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: 'cli', since: 'x' }));
    const lock = acquireDataDirLock(dataDir, 'cli');
    lock.release();
    expect(fs.existsSync(path.join(dataDir, 'pacer.lock'))).toBe(false);
  });

  it('validates input with the contract and answers errors as values', async () => {
    const core = testCore();
    const bad = await core.dispatch('settings:update', { language: 'fr' });
    expect(bad).toMatchObject({ ok: false, code: 'bad_input' });
    const unknown = await core.dispatch('nope:nothing', {});
    expect(unknown).toMatchObject({ ok: false, code: 'not_found' });
    const extra = await core.dispatch('app:info', { injected: true });
    expect(extra).toMatchObject({ ok: false, code: 'bad_input' });
    await core.close();
  });

  it('updates settings and pushes settings:changed', async () => {
    const core = testCore();
    const seen: unknown[] = [];
    core.on('settings:changed', (s) => seen.push(s));
    const r = await core.call('settings:update', { language: 'he', defaultCountry: 'TW' });
    expect(r).toMatchObject({ ok: true, value: { language: 'he', defaultCountry: 'TW', theme: 'system' } });
    expect(seen).toHaveLength(1);
    await core.close();
  });

  it('persists settings in DATA_DIR/settings.json (the file the app shares)', async () => {
    const dataDir = tempDataDir();
    const a = createCore({ dataDir, host: 'cli' });
    await a.call('settings:update', { theme: 'dark' });
    await a.close();
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({ theme: 'dark' });
    const b = createCore({ dataDir, host: 'cli' });
    expect(await b.call('settings:get', {})).toMatchObject({ ok: true, value: { theme: 'dark' } });
    await b.close();
  });
});

describe('secrets', () => {
  const TOKEN = 'EAAGsecretTOKENvalue9876';
  const APP_SECRET = 'appsecret-abcdef-5555';

  it('never land in the DB, settings, logs or anything the renderer receives', async () => {
    const dataDir = tempDataDir();
    const core = createCore({ dataDir, host: 'harness' });
    await core.call('secrets:set', { name: 'access_token', value: TOKEN });
    const status = await core.call('secrets:set', { name: 'app_secret', value: APP_SECRET });
    expect(status).toEqual({
      ok: true,
      value: {
        access_token: { set: true, last4: '9876' },
        app_secret: { set: true, last4: '5555' },
        relay_token: { set: false, last4: null },
      },
    });
    // Log something that carries the token, as an error message might.
    core.ctx.log.error('graph call failed', { url: `https://graph.example/v24.0/x?access_token=${TOKEN}`, body: `Bearer ${TOKEN}` });
    const everything: string[] = [];
    for (const m of ['app:info', 'settings:get', 'secrets:status'] as const) everything.push(JSON.stringify(await core.call(m, {})));
    await core.close();
    const files = fs.readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    for (const f of files) everything.push(fs.readFileSync(path.join(f.parentPath, f.name)).toString('latin1'));
    const all = everything.join('\n');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(APP_SECRET);
    expect(all).toContain('[redacted]');
    // ...and yet they are there for the core to use, after a restart.
    expect(new KeyFileVault(dataDir).get('access_token')).toBe(TOKEN);
  });

  it('keeps the key file readable by the owner only', async () => {
    const dataDir = tempDataDir();
    const vault = new KeyFileVault(dataDir);
    vault.set('access_token', TOKEN);
    expect(fs.statSync(path.join(dataDir, 'secrets.key')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dataDir, 'secrets.enc')).mode & 0o777).toBe(0o600);
  });

  it('lets environment variables override without writing them', () => {
    const dataDir = tempDataDir();
    const vault = new KeyFileVault(dataDir, { PACER_ACCESS_TOKEN: 'from-env-1234' });
    expect(vault.get('access_token')).toBe('from-env-1234');
    expect(vault.info()).toMatchObject({ backend: 'environment', secure: false, warning: 'environment' });
    expect(fs.existsSync(path.join(dataDir, 'secrets.enc'))).toBe(false);
  });
});
