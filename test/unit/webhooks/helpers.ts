import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock, type Clock } from '../../../electron/core/clock';
import type { CoreContext } from '../../../electron/core/context';
import { openDatabase, type Db } from '../../../electron/core/db/connection';
import { migration0001 } from '../../../electron/core/db/migrations/0001-app-meta';
import { migration0004 } from '../../../electron/core/db/migrations/0004-webhooks';
import type { Logger } from '../../../electron/core/log';
import { MemoryVault } from '../../../electron/core/secrets/vault';
import { MemorySettingsStore } from '../../../electron/core/settings/store';
import { FileStaging } from '../../../electron/core/files/staging';
import { signBody } from '../../../electron/core/webhooks/signature';
import { WebhookService } from '../../../electron/core/webhooks/service';

export const APP_SECRET = 'test-app-secret-0123456789abcdef';

export const quietLog: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A database with the webhook tables, without the rest of the core (unit level). */
export function webhookDb(): { db: Db; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-wh-'));
  const db = openDatabase(path.join(dir, 'pacer.db'));
  for (const m of [migration0001, migration0004]) db.exec(m.up as string);
  return { db, dir };
}

export interface TestCtx extends CoreContext {
  emitted: { event: string; payload: unknown }[];
  close(): Promise<void>;
}

/** A CoreContext over webhookDb(), with an app secret set and events recorded. */
export function testCtx(opts: { clock?: Clock; appSecret?: string | null } = {}): TestCtx {
  const { db, dir } = webhookDb();
  const secrets = new MemoryVault();
  if (opts.appSecret !== null) secrets.set('app_secret', opts.appSecret ?? APP_SECRET);
  const closers: (() => void | Promise<void>)[] = [];
  const emitted: { event: string; payload: unknown }[] = [];
  const ctx: TestCtx = {
    dataDir: dir,
    host: 'cli',
    version: 'test',
    db,
    clock: opts.clock ?? systemClock,
    settings: new MemorySettingsStore(),
    secrets,
    log: quietLog,
    fetch: globalThis.fetch.bind(globalThis),
    graphFetch: globalThis.fetch.bind(globalThis),
    files: new FileStaging(dir),
    emit: (event, payload) => emitted.push({ event, payload }),
    onClose: (fn) => closers.push(fn),
    emitted,
    async close() {
      for (const fn of closers.reverse()) await fn();
      db.close();
    },
  };
  return ctx;
}

export function statusEnvelope(statuses: Record<string, unknown>[], opts: { phoneNumberId?: string } = {}) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: opts.phoneNumberId ?? 'PN1' },
              statuses,
            },
          },
        ],
      },
    ],
  };
}

export function messageEnvelope(messages: Record<string, unknown>[], from = '972541234567') {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: 'PN1' },
              contacts: [{ profile: { name: 'Dana' }, wa_id: from }],
              messages: messages.map((m) => ({ from, ...m })),
            },
          },
        ],
      },
    ],
  };
}

export function post(url: string, body: string, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

export function signedPost(url: string, doc: unknown, secret = APP_SECRET) {
  const body = typeof doc === 'string' ? doc : JSON.stringify(doc);
  return post(url, body, { 'x-hub-signature-256': signBody(body, secret) });
}

/**
 * A webhook service over a test context, as the composition root builds it (electron/core/compose.ts)
 * minus the other domains: the built-in handlers attached, no consent sink unless the test sets one.
 */
export function webhookService(ctx: CoreContext): WebhookService {
  const svc = new WebhookService(ctx);
  svc.attach();
  return svc;
}
