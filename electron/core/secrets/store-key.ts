import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PacerError } from '../errors';

/** pacer.db's key: 32 random bytes (db/cipher.ts uses it). */
export const STORE_KEY_BYTES = 32;

export type StoreKey = Buffer;

export const isStoreKey = (k: unknown): k is StoreKey => Buffer.isBuffer(k) && k.length === STORE_KEY_BYTES;

/** Where a store key is kept: a value, not text, so each language can say it (the app's startup window). */
export type StoreKeyLocation =
  | { kind: 'key_file'; path: string }
  | { kind: 'env' } // PACER_DB_KEY
  | { kind: 'keychain' } // the desktop app's safeStorage entry in secrets.json
  | { kind: 'memory' }; // tests, benchmarks

/** The English words for a location (CLI and log messages). */
export function describeKeyLocation(l: StoreKeyLocation): string {
  switch (l.kind) {
    case 'key_file':
      return `the key file ${l.path}`;
    case 'env':
      return 'the PACER_DB_KEY environment variable';
    case 'keychain':
      return "the system keychain (the app's secrets.json)";
    case 'memory':
      return 'memory';
  }
}

/** Why the store cannot be opened (the error's details); `keyLocation` says where Pacer looked for the key. */
export interface StoreKeyParams {
  file: string;
  keyLocation: StoreKeyLocation;
}

/** An encrypted store exists but no key was found: refuse, never start a new empty store. */
export const storeKeyMissing = (p: StoreKeyParams) =>
  new PacerError(
    'store_key_missing',
    `${p.file} is encrypted and its key was not found (looked in ${describeKeyLocation(p.keyLocation)}). Pacer did not open or change it. Restore the key (or set PACER_DB_KEY / PACER_DB_KEY_FILE) and start again.`,
    p,
  );

/** The key found does not open the store. */
export const storeKeyWrong = (p: StoreKeyParams) =>
  new PacerError(
    'store_key_wrong',
    `${p.file} could not be opened with the key from ${describeKeyLocation(p.keyLocation)}: the key does not match (or the file is damaged). Pacer did not change it.`,
    p,
  );

/**
 * Where the key of pacer.db lives. It is not one of the SecretVault's named secrets (those are
 * shown in Settings as set/last4 and can be changed from the UI; this key never can), but it is
 * kept by the same backends: the OS keychain through Electron safeStorage in the app (main decrypts
 * it and hands it to the core, see electron/main/store-key.ts), and a key file for the CLI and
 * `pacer serve`.
 */
export interface StoreKeyVault {
  /** Where the key is kept, for messages ("the key file /…/x.key", "the system keychain"). */
  location(): StoreKeyLocation;
  /** The stored key, or null when none is stored. Throws when one is stored but cannot be read. */
  read(): StoreKey | null;
  /** Generates and stores a new random key (only ever for a fresh or a plaintext store). */
  create(): StoreKey;
}

const newKey = (): StoreKey => crypto.randomBytes(STORE_KEY_BYTES);

const parseHexKey = (hex: string, what: string): StoreKey => {
  const k = Buffer.from(hex.trim(), 'hex');
  if (!isStoreKey(k) || k.toString('hex') !== hex.trim().toLowerCase()) throw new Error(`${what} must hold 64 hex characters (32 bytes).`);
  return k;
};

/**
 * The default folder for key files: beside the user's configuration, not in the data folder, so a
 * copy of the data folder (a backup, a synced folder, a support bundle) does not carry its key.
 * PACER_DB_KEY_DIR moves it (the tests point it at a temporary folder).
 */
export function defaultStoreKeyDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PACER_DB_KEY_DIR) return path.resolve(env.PACER_DB_KEY_DIR);
  const base =
    process.platform === 'win32'
      ? (env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'))
      : process.platform === 'darwin'
        ? path.join(os.homedir(), 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'));
  // Not <base>/Pacer/…: that is the default data folder (case-insensitive on macOS and Windows).
  return path.join(base, 'pacer-keys');
}

/** One key file per data folder, named by a hash of the folder's absolute path. */
export function defaultStoreKeyFile(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const id = crypto.createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 24);
  return path.join(defaultStoreKeyDir(env), `${id}.key`);
}

/**
 * The CLI's and `pacer serve`'s key: `PACER_DB_KEY` (64 hex, a server's secret store; never
 * written anywhere), else the file `PACER_DB_KEY_FILE` names, else the default key file. A key
 * file is written once, mode 0600, in a 0700 folder, and never overwritten.
 */
export class KeyFileStoreKeyVault implements StoreKeyVault {
  readonly file: string;
  constructor(
    dataDir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.file = env.PACER_DB_KEY_FILE ? path.resolve(env.PACER_DB_KEY_FILE) : defaultStoreKeyFile(dataDir, env);
  }

  location(): StoreKeyLocation {
    return this.env.PACER_DB_KEY ? { kind: 'env' } : { kind: 'key_file', path: this.file };
  }

  read(): StoreKey | null {
    if (this.env.PACER_DB_KEY) return parseHexKey(this.env.PACER_DB_KEY, 'PACER_DB_KEY');
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    return parseHexKey(text, `The key file ${this.file}`);
  }

  create(): StoreKey {
    if (this.env.PACER_DB_KEY) return this.read()!; // the server supplies the key: use it for the new store
    const key = newKey();
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // 'wx': never replace a key that appeared meanwhile (a second process): that one wins.
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(tmp, this.file);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    return key;
  }
}

/**
 * The key as Electron main handed it to the core (main reads and creates it with safeStorage before
 * the core starts, electron/main/store-key.ts). `create` is main's job: here it can only refuse.
 */
export class HandedStoreKeyVault implements StoreKeyVault {
  constructor(
    private readonly key: StoreKey | null,
    private readonly where: StoreKeyLocation,
    private readonly dataDir: string,
  ) {}
  location() {
    return this.where;
  }
  read() {
    return this.key;
  }
  create(): StoreKey {
    // Main found none and could not make one (its keychain holds a key it cannot decrypt): refuse.
    throw storeKeyMissing({ file: path.join(this.dataDir, 'pacer.db'), keyLocation: this.where });
  }
}

/** A key held in memory (tests, benchmarks). */
export class MemoryStoreKeyVault implements StoreKeyVault {
  constructor(private key: StoreKey | null = null) {}
  location(): StoreKeyLocation {
    return { kind: 'memory' };
  }
  read() {
    return this.key;
  }
  create() {
    return (this.key = newKey());
  }
}
