import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultStoreKeyFile, KeyFileStoreKeyVault } from '../../../electron/core/secrets/store-key';
import { tempDataDir } from '../../support/harness';

describe('the key-file vault of pacer.db (CLI, pacer serve)', () => {
  it('creates one random key per data folder, 0600 in a 0700 folder outside it, and reads it back', () => {
    const keys = tempDataDir('pacer-keys-');
    const env = { PACER_DB_KEY_DIR: keys };
    const a = new KeyFileStoreKeyVault(tempDataDir(), env);
    expect(a.read()).toBeNull();
    const k = a.create();
    expect(k.length).toBe(32);
    expect(a.read()!.equals(k)).toBe(true);
    expect(path.dirname(a.file)).toBe(keys);
    expect(fs.statSync(a.file).mode & 0o777).toBe(0o600);
    expect(() => a.create()).toThrow(); // never replaces a key
    expect(a.read()!.equals(k)).toBe(true);
    const b = new KeyFileStoreKeyVault(tempDataDir(), env);
    expect(b.file).not.toBe(a.file);
  });

  it('the default folder is not the default data folder, even on a case-insensitive disk', () => {
    for (const env of [{ XDG_CONFIG_HOME: '/home/u/.config' }, {}]) {
      const file = defaultStoreKeyFile('/home/u/.config/Pacer', env);
      expect(file.toLowerCase().startsWith('/home/u/.config/pacer/')).toBe(false);
    }
  });

  it('PACER_DB_KEY gives the key (never written), PACER_DB_KEY_FILE names the file; bad values are refused, not replaced', () => {
    const hex = 'ab'.repeat(32);
    const fromEnv = new KeyFileStoreKeyVault(tempDataDir(), { PACER_DB_KEY: hex, PACER_DB_KEY_DIR: tempDataDir() });
    expect(fromEnv.read()!.toString('hex')).toBe(hex);
    expect(fromEnv.create().toString('hex')).toBe(hex);
    expect(fs.existsSync(fromEnv.file)).toBe(false);
    expect(fromEnv.location()).toEqual({ kind: 'env' });
    expect(() => new KeyFileStoreKeyVault(tempDataDir(), { PACER_DB_KEY: 'abc' }).read()).toThrow(/64 hex/);
    expect(() => new KeyFileStoreKeyVault(tempDataDir(), { PACER_DB_KEY: 'zz'.repeat(32) }).read()).toThrow(/64 hex/);

    const named = path.join(tempDataDir(), 'my.key');
    fs.writeFileSync(named, 'not a key');
    const v = new KeyFileStoreKeyVault(tempDataDir(), { PACER_DB_KEY_FILE: named });
    expect(v.location()).toEqual({ kind: 'key_file', path: named });
    expect(() => v.read()).toThrow(/64 hex/);
    expect(fs.readFileSync(named, 'utf8')).toBe('not a key');
  });
});
