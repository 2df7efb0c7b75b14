import { configValue, setConfigValue } from './config-store';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/connection';
import type { SecretVault } from '../secrets/vault';
import { badInput } from '../errors';
import { cleanKeywordList, DEFAULT_OPT_OUT_BUTTONS, DEFAULT_STOP_KEYWORDS, type OptOutRules } from './stop-keywords';

export const CALLBACK_PATH = '/webhook';
export const DEFAULT_WEBHOOK_PORT = 8788;

/**
 * Webhook settings kept in the database (they travel with the data, and the verify token is
 * not a secret: Meta sends it in a URL). The relay's per-installation token IS a credential: it
 * lives in the SecretVault as `relay_token` (or comes from PACER_RELAY_TOKEN), never in the DB.
 * Before issue #14 it sat in a plain 0600 file `DATA_DIR/relay-token`: that file is moved into the
 * vault the first time the token is read, and deleted once the vault has stored it.
 */
export class WebhookConfig {
  constructor(
    private readonly db: Db,
    private readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly secrets: SecretVault | null = null,
  ) {}

  private get(key: string): string | null {
    return configValue(this.db, key);
  }

  private set(key: string, value: string | null): void {
    setConfigValue(this.db, key, value);
  }

  /** The token Meta echoes in the GET handshake; generated once, shown in `pacer webhook info`. */
  verifyToken(): string {
    const existing = this.get('verify_token');
    if (existing) return existing;
    const token = `pacer-${crypto.randomBytes(18).toString('base64url')}`;
    this.set('verify_token', token);
    return token;
  }

  setVerifyToken(token: string): void {
    const t = token.trim();
    if (t.length < 8 || t.length > 200 || /\s/.test(t)) throw badInput('The verify token must be 8–200 characters without spaces.');
    this.set('verify_token', t);
  }

  port(): number {
    const v = Number(this.get('port'));
    return Number.isInteger(v) && v > 0 && v < 65536 ? v : DEFAULT_WEBHOOK_PORT;
  }

  setPort(port: number): void {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw badInput(`The webhook port must be 1–65535, got ${port}`);
    this.set('port', String(port));
  }

  optOutRules(): OptOutRules {
    const read = (key: string, fallback: readonly string[]) => {
      const v = this.get(key);
      if (!v) return fallback;
      try {
        const list = JSON.parse(v) as unknown;
        return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : fallback;
      } catch {
        return fallback;
      }
    };
    return { keywords: read('stop_keywords', DEFAULT_STOP_KEYWORDS), buttons: read('opt_out_buttons', DEFAULT_OPT_OUT_BUTTONS) };
  }

  setOptOutRules(rules: Partial<OptOutRules>): OptOutRules {
    if (rules.keywords) {
      const k = cleanKeywordList(rules.keywords);
      if (!k.length) throw badInput('The STOP keyword list cannot be empty.');
      this.set('stop_keywords', JSON.stringify(k));
    }
    if (rules.buttons) this.set('opt_out_buttons', JSON.stringify(cleanKeywordList(rules.buttons)));
    return this.optOutRules();
  }

  relayUrl(): string | null {
    return this.get('relay_url');
  }

  private tokenFile(): string {
    return path.join(this.dataDir, 'relay-token');
  }

  relayToken(): string | null {
    if (this.env.PACER_RELAY_TOKEN) return this.env.PACER_RELAY_TOKEN;
    const stored = this.secrets?.get('relay_token') ?? null;
    if (stored) return stored;
    const legacy = this.legacyFileToken();
    if (legacy && this.secrets) this.migrateLegacy(legacy);
    return legacy;
  }

  private legacyFileToken(): string | null {
    try {
      return fs.readFileSync(this.tokenFile(), 'utf8').trim() || null;
    } catch {
      return null;
    }
  }

  /** Once: the plain file's token into the vault; the file goes only after the vault stored it. */
  private migrateLegacy(token: string): void {
    const removeFile = () => fs.rmSync(this.tokenFile(), { force: true });
    try {
      const r = this.secrets!.set('relay_token', token);
      if (r instanceof Promise) r.then(removeFile, () => undefined);
      else removeFile();
    } catch {
      // The vault refused (keychain locked): keep the file, try again next time.
    }
  }

  /** Returns a promise when the vault stores asynchronously (the desktop keychain): await it. */
  setRelay(url: string | null, token?: string): void | Promise<void> {
    if (url === null) {
      this.set('relay_url', null);
      fs.rmSync(this.tokenFile(), { force: true });
      return this.secrets?.clear('relay_token');
    }
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw badInput(`Not a URL: ${url}`);
    }
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname))) {
      throw badInput('The relay URL must be https:// (plain http only for 127.0.0.1).');
    }
    if (token !== undefined) {
      if (token.trim().length < 20) throw badInput('The relay token looks wrong (too short).');
      if (!this.secrets) fs.writeFileSync(this.tokenFile(), token.trim(), { mode: 0o600 }); // no vault (bare tests only)
    }
    const stored = token !== undefined && this.secrets ? this.secrets.set('relay_token', token.trim()) : undefined;
    const saveUrl = () => {
      this.set('relay_url', u.toString().replace(/\/$/, ''));
      if (this.secrets && token !== undefined) fs.rmSync(this.tokenFile(), { force: true }); // the old plain file, if any
    };
    if (stored instanceof Promise) return stored.then(saveUrl);
    saveUrl();
  }
}
