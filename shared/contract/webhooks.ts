import { z } from 'zod';
import { method } from './define';

export interface WebhookRelayStatus {
  /** The relay URL the app pulls from, or null when events come straight to the receiver. */
  url: string | null;
  token_set: boolean;
  /** True while a pull loop is running in this process. */
  running: boolean;
  connected: boolean;
  last_pull_at: number | null;
  last_error: string | null;
  pulled: number;
}

export interface WebhookInfo {
  /** Path Meta calls on the public address (tunnel or relay forwards to it). */
  callback_path: string;
  /** Configured port on 127.0.0.1. */
  port: number;
  /** URL of the receiver while it runs in this process, else null. */
  local_url: string | null;
  running: boolean;
  verify_token: string;
  app_secret_set: boolean;
  inbox: { pending: number; processed: number; failed: number };
  last_error: string | null;
  /** Statuses no campaign has matched yet (kept and offered again). */
  pending_match: number;
  /**
   * Events kept in the inbox but not applied because they were not this account's: `foreign` for
   * another WABA or phone number (Meta sends every subscribed account's events), `no_account` for
   * account/template events that came while no account was connected. Counted since the data began.
   */
  ignored: {
    foreign: number;
    no_account: number;
    by_reason: Record<WebhookIgnoreReason, number>;
    last: { reason: WebhookIgnoreReason; id: string; at: number } | null;
  };
  /** Errors Meta put on a webhook's value (about the number, the account or the app), not on a message. */
  value_errors: {
    count: number;
    last: { code: number; title: string | null; message: string | null; field: string; at: number } | null;
  };
  relay: WebhookRelayStatus;
}

export type WebhookIgnoreReason = 'foreign_waba' | 'foreign_number' | 'no_account';

export interface WebhookTestStep {
  step: 'handshake' | 'signed_post' | 'unsigned_refused' | 'stored' | 'processed';
  ok: boolean;
  ms: number;
  detail: string;
}

export interface WebhookTestResult {
  ok: boolean;
  url: string;
  steps: WebhookTestStep[];
}

export const webhooksMethods = {
  'webhooks:info': method<WebhookInfo>()(z.object({}).strict()),
  /** Sends a signed sample status through the receiver, the inbox and the router, then cleans up. */
  'webhooks:test': method<WebhookTestResult>()(z.object({}).strict()),
};

/** Pushed at most ~10 times a second while events arrive or are processed. */
export interface WebhookActivity {
  /** Counts since the previous activity event. */
  received: number;
  rejected: number;
  processed: number;
  duplicates: number;
  /** Events for another account: stored, not applied. */
  ignored: number;
  handler_failures: number;
  /** Events about a message or number erased with its person: recorded as seen, applied to nothing. */
  unknown: number;
  by_type: Record<string, number>;
  /** Inbox state after this batch. */
  pending: number;
  at: number;
}

export interface WebhooksEvents {
  'webhooks:activity': WebhookActivity;
}
export const webhooksEventNames = ['webhooks:activity'] as const satisfies readonly (keyof WebhooksEvents)[];
