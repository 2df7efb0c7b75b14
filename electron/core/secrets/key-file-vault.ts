import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SecretName, VaultInfo } from '../../../shared/contract/app';
import type { SecretVault } from './vault';

const ENV_NAMES: Record<SecretName, string> = {
  access_token: 'PACER_ACCESS_TOKEN',
  app_secret: 'PACER_APP_SECRET',
  relay_token: 'PACER_RELAY_TOKEN',
};

/**
 * The vault outside Electron (CLI, harness). Secrets are AES-256-GCM encrypted in
 * DATA_DIR/secrets.enc with a random key in DATA_DIR/secrets.key (mode 0600), or with the key
 * given in PACER_VAULT_KEY (hex, 32 bytes) so the key can live elsewhere (a CI secret, a keyring
 * wrapper). PACER_ACCESS_TOKEN / PACER_APP_SECRET override the stored values for this process
 * without being written anywhere. See docs/security.md.
 */
export class KeyFileVault implements SecretVault {
  private readonly keyFile: string;
  private readonly dataFile: string;
  private cache: Partial<Record<SecretName, string>> | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.keyFile = path.join(dataDir, 'secrets.key');
    this.dataFile = path.join(dataDir, 'secrets.enc');
  }

  info(): VaultInfo {
    const fromEnv = !!(this.env.PACER_ACCESS_TOKEN || this.env.PACER_APP_SECRET);
    return {
      backend: fromEnv ? 'environment' : 'key-file',
      secure: false,
      warning: fromEnv ? 'environment' : 'key_file',
    };
  }

  get(name: SecretName): string | null {
    const fromEnv = this.env[ENV_NAMES[name]];
    if (fromEnv) return fromEnv;
    return this.load()[name] ?? null;
  }

  set(name: SecretName, value: string): void {
    this.save({ ...this.load(), [name]: value });
  }

  clear(name: SecretName): void {
    const next = { ...this.load() };
    delete next[name];
    this.save(next);
  }

  private key(create: boolean): Buffer | null {
    if (this.env.PACER_VAULT_KEY) {
      const k = Buffer.from(this.env.PACER_VAULT_KEY, 'hex');
      if (k.length !== 32) throw new Error('PACER_VAULT_KEY must be 64 hex characters (32 bytes).');
      return k;
    }
    if (fs.existsSync(this.keyFile)) return Buffer.from(fs.readFileSync(this.keyFile, 'utf8').trim(), 'hex');
    if (!create) return null;
    const k = crypto.randomBytes(32);
    fs.writeFileSync(this.keyFile, k.toString('hex'), { mode: 0o600, flag: 'wx' });
    return k;
  }

  private load(): Partial<Record<SecretName, string>> {
    if (this.cache) return this.cache;
    const key = this.key(false);
    if (!key || !fs.existsSync(this.dataFile)) return (this.cache = {});
    const blob = Buffer.from(fs.readFileSync(this.dataFile, 'utf8'), 'base64');
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
    decipher.setAuthTag(blob.subarray(12, 28));
    const json = Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
    return (this.cache = JSON.parse(json) as Partial<Record<SecretName, string>>);
  }

  private save(values: Partial<Record<SecretName, string>>): void {
    const key = this.key(true)!;
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
    const tmp = `${this.dataFile}.tmp`;
    fs.writeFileSync(tmp, Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64'), { mode: 0o600 });
    fs.renameSync(tmp, this.dataFile);
    this.cache = values;
  }
}
