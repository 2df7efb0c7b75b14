import { z } from 'zod';
import { method } from './define';
import { settingsPatchSchema, type Settings } from '../settings';

/** relay_token: the webhook relay's per-installation token (issue #14: moved from a plain file into the vault). */
export const SECRET_NAMES = ['access_token', 'app_secret', 'relay_token'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/** What the renderer may know about a secret: whether it is set, and its last 4 characters. */
export interface SecretStatus {
  set: boolean;
  last4: string | null;
}

export interface VaultInfo {
  /** 'safe-storage' (Electron), 'key-file' (Node, 0600 key file), 'environment' (env variables). */
  backend: 'safe-storage' | 'key-file' | 'environment' | 'memory';
  /** False when the secrets are readable by anything running as this user without a password. */
  secure: boolean;
  /**
   * Why it is not secure, as a code the UI translates: Linux safeStorage's built-in key
   * ('basic_text'), no usable keychain at all so nothing can be saved ('unavailable'), …
   */
  warning: 'basic_text' | 'unavailable' | 'key_file' | 'environment' | null;
}

export interface AppInfo {
  name: string;
  version: string;
  dataDir: string;
  host: 'electron' | 'harness' | 'cli';
  platform: string;
  schemaVersion: number;
  vault: VaultInfo;
}

export const appMethods = {
  'app:info': method<AppInfo>()(z.object({}).strict()),
  'settings:get': method<Settings>()(z.object({}).strict()),
  'settings:update': method<Settings>()(settingsPatchSchema.strict()),
  'secrets:status': method<Record<SecretName, SecretStatus>>()(z.object({}).strict()),
  'secrets:set': method<Record<SecretName, SecretStatus>>()(
    z.object({ name: z.enum(SECRET_NAMES), value: z.string().min(1).max(4096) }).strict(),
  ),
  /** Forgets a staged file (and deletes an uploaded copy). */
  'files:discard': method<null>()(z.object({ fileId: z.string().uuid() }).strict()),
  'secrets:clear': method<Record<SecretName, SecretStatus>>()(z.object({ name: z.enum(SECRET_NAMES) }).strict()),
};

/**
 * The desktop app's engine (the core's utility process) stopped unexpectedly. Sent by Electron main,
 * never by the core itself: 'restarting' (calls fail with `core_unavailable` until it is back),
 * 'restarted', or 'stopped' (it crashed too often; restart Pacer). `interrupted`: a campaign was
 * sending; its messages in flight are marked uncertain and never resent automatically.
 */
export interface EngineStatus {
  state: 'restarting' | 'restarted' | 'stopped';
  interrupted: boolean;
}

/** `details` of a secret the vault could not save: nothing was stored, and why. */
export interface SecretNotSavedDetails {
  reason: 'secret_not_saved';
  /** 'unavailable': no usable keychain; 'failed': encrypting or writing failed. */
  cause: 'unavailable' | 'failed';
}

export interface AppEvents {
  'settings:changed': Settings;
  'app:engine': EngineStatus;
}
export const appEventNames = ['settings:changed', 'app:engine'] as const satisfies readonly (keyof AppEvents)[];

/** What uploadFile answers: the id import methods take. */
export interface StagedFileInfo {
  fileId: string;
  name: string;
  size: number;
}
