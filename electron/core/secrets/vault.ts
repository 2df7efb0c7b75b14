import type { SecretName, SecretNotSavedDetails, SecretStatus, VaultInfo } from '../../../shared/contract/app';
import { PacerError } from '../errors';
import { SECRET_NAMES } from '../../../shared/contract/app';

/**
 * Where the access token and app secret live. Never the DB, settings, logs or the renderer:
 * the core reads a value only to sign or authenticate an outbound call.
 */
export interface SecretVault {
  info(): VaultInfo;
  get(name: SecretName): string | null;
  /**
   * Stores a secret; may be asynchronous (the desktop app's keychain lives in another process).
   * Throws `SecretNotSavedError` when it could not be stored: then nothing changed. Always await.
   */
  set(name: SecretName, value: string): void | Promise<void>;
  clear(name: SecretName): void | Promise<void>;
}

/** The vault refused or failed to store a secret: the old value (if any) is still the one in use. */
export class SecretNotSavedError extends PacerError {
  constructor(
    message: string,
    readonly why: SecretNotSavedDetails['cause'],
  ) {
    super('unavailable', message, { reason: 'secret_not_saved', cause: why } satisfies SecretNotSavedDetails);
  }
}

export function secretStatus(vault: SecretVault): Record<SecretName, SecretStatus> {
  const out = {} as Record<SecretName, SecretStatus>;
  for (const name of SECRET_NAMES) {
    const v = vault.get(name);
    out[name] = { set: v !== null, last4: v ? v.slice(-4) : null };
  }
  return out;
}

export function allSecretValues(vault: SecretVault): string[] {
  return SECRET_NAMES.map((n) => vault.get(n)).filter((v): v is string => !!v);
}

export class MemoryVault implements SecretVault {
  private values = new Map<SecretName, string>();
  constructor(private readonly meta: VaultInfo = { backend: 'memory', secure: true, warning: null }) {}
  info() {
    return this.meta;
  }
  get(name: SecretName) {
    return this.values.get(name) ?? null;
  }
  set(name: SecretName, value: string) {
    this.values.set(name, value);
  }
  clear(name: SecretName) {
    this.values.delete(name);
  }
}
