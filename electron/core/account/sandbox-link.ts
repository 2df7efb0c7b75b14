import type { Clock } from '../clock';

/** What the account needs from a running sandbox: where it listens, and how to stop it. */
export interface SandboxRuntime {
  /** Graph root, e.g. http://127.0.0.1:PORT (clients append /v24.0/…). */
  baseUrl: string;
  close(): Promise<void>;
  /** Points the running sandbox's webhooks at another URL (null: stop delivering). */
  setWebhookUrl?(url: string | null): void;
  /** The launcher's own handle (the built-in one: B1's SandboxHandle with admin helpers), for tests and tools. */
  handle?: unknown;
}

/** Credentials and ids of the scenario the sandbox runs, to connect with. */
export interface SandboxCredentials {
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  wabaId: string;
  phoneNumberId: string;
}

/** Starts a sandbox. The default one is B1's in-process emulator (sandbox-default.ts); tests may pass another. */
export type SandboxLauncher = (opts: {
  port?: number;
  seed?: number;
  clock: Clock;
  webhookUrl?: string;
}) => Promise<{ runtime: SandboxRuntime; credentials: SandboxCredentials }>;
