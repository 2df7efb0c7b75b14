import { systemClock, type Clock } from '../../../electron/core/clock';
import { createCore, type Core } from '../../../electron/core/index';
import { silentLogger, type Logger } from '../../../electron/core/log';
import { MemoryVault } from '../../../electron/core/secrets/vault';
import { MemorySettingsStore } from '../../../electron/core/settings/store';
import { expect } from 'vitest';
import { runCli } from '../../../electron/core/cli/index';
import type { CliIo } from '../../../electron/core/cli/io';
import {
  DEFAULT_SCENARIO,
  SANDBOX_ACCESS_TOKEN,
  SANDBOX_PHONE_NUMBER_ID,
  SANDBOX_WABA_ID,
  startSandbox,
  type SandboxHandle,
  type Scenario,
} from '../../../electron/core/sandbox/index';
import type { WebhookRunning } from '../../../electron/core/webhooks/service';
import type { CampaignsService, EngineOptions } from '../../../electron/core/campaigns/service';
import type { CampaignDraft, CampaignSummary } from '../../../shared/contract/campaigns';
import { tempDataDir } from '../../support/harness';

export async function ok<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; code: string; message: string; details?: unknown }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.code}: ${r.message} ${JSON.stringify(r.details ?? null)}`);
  return r.value;
}

/** Sandbox scenario: the default portfolio with a chosen tier, throughput and faults. */
export function scenario(
  patch: { tier?: string; mps?: number; faults?: Record<string, number>; delivery?: Record<string, unknown> } = {},
): Scenario {
  return {
    ...DEFAULT_SCENARIO,
    business: { ...DEFAULT_SCENARIO.business!, messaging_limit: (patch.tier ?? 'TIER_100K') as 'TIER_2K' },
    limits: { ...DEFAULT_SCENARIO.limits, throughput_mps: patch.mps ?? 1000, auto_scaling: false },
    delivery: {
      sent_delay_ms: [20, 80],
      delivered_delay_ms: [20, 150],
      read_delay_ms: [100, 500],
      failed_delay_ms: [20, 80],
      ...patch.delivery,
    },
    faults: { ...patch.faults },
  };
}

/** Israeli mobile numbers +97250xxxxxxx (valid; unknown to the sandbox, so delivered normally). */
export const phoneOf = (i: number) => `+97250${String(1_000_000 + i).slice(-7)}`;

/** Contacts as an import writes them: contact rows plus a consent state and its event. */
export function seedContacts(
  core: Core,
  n: number,
  opts: { consent?: 'marketing' | 'utility' | null; tag?: string; phone?: (i: number) => string } = {},
): void {
  const db = core.db;
  const now = core.ctx.clock.now();
  const phone = opts.phone ?? phoneOf;
  db.transaction(() => {
    const ins = db.prepare('INSERT INTO contacts (phone, first_name, name, country, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    const ev = db.prepare(
      "INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, at) VALUES (?, ?, 'opted_in', 'import', 'fixture', 'test', ?)",
    );
    const st = db.prepare("INSERT INTO consent_state (contact_id, category, state, updated_at, event_id) VALUES (?, ?, 'opted_in', ?, ?)");
    let tagId: number | null = null;
    if (opts.tag) tagId = Number(db.prepare('INSERT INTO tags (name, created_at) VALUES (?, ?)').run(opts.tag, now).lastInsertRowid);
    for (let i = 0; i < n; i++) {
      const id = Number(ins.run(phone(i), `Name${i}`, `Name${i}`, 'IL', now, now).lastInsertRowid);
      if (opts.consent !== null) {
        const cat = opts.consent ?? 'marketing';
        const e = Number(ev.run(id, cat, now).lastInsertRowid);
        st.run(id, cat, now, e);
      }
      if (tagId !== null) db.prepare('INSERT INTO contact_tags (tag_id, contact_id) VALUES (?, ?)').run(tagId, id);
    }
  })();
}

export interface World {
  core: Core;
  sandbox: SandboxHandle;
  campaigns: CampaignsService;
  receiver: WebhookRunning;
  dataDir: string;
  close(): Promise<void>;
}

/** A core connected to a fresh sandbox, with the webhook receiver wired both ways. */
export async function world(
  opts: { clock?: Clock; scenario?: Scenario; dataDir?: string; webhooks?: boolean; fetch?: typeof fetch; log?: Logger } = {},
): Promise<World> {
  const clock = opts.clock ?? systemClock;
  const sandbox = await startSandbox({ clock, seed: 7, scenario: opts.scenario ?? scenario() });
  const dataDir = opts.dataDir ?? tempDataDir('pacer-campaigns-');
  const core = createCore({
    dataDir,
    host: 'cli',
    clock,
    secrets: new MemoryVault(),
    settings: new MemorySettingsStore(),
    log: opts.log ?? silentLogger,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  await ok(
    core.call('account:connect', {
      graphUrl: sandbox.baseUrl,
      wabaId: SANDBOX_WABA_ID,
      phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
      accessToken: sandbox.credentials.accessToken,
      appSecret: sandbox.credentials.appSecret,
    }),
  );
  await core.services.templates.sync();
  const receiver =
    opts.webhooks === false
      ? { url: '', port: 0, close: async () => undefined }
      : await core.services.webhooks.start({ port: 0, relay: false });
  if (opts.webhooks !== false) sandbox.setWebhook({ url: receiver.url });
  const campaigns = core.services.campaigns;
  return {
    core,
    sandbox,
    campaigns,
    receiver,
    dataDir,
    async close() {
      await campaigns.stopEngine();
      await receiver.close();
      await core.close();
      await sandbox.close();
    },
  };
}

export const utilityDraft = (patch: Partial<CampaignDraft> = {}): CampaignDraft => ({
  name: 'Reminders',
  template: { name: 'appointment_reminder', language: 'en_US' },
  audience: 'all',
  params: { 1: 'first_name|"friend"', 2: '"Tel Aviv"', 3: '"May 12, 10:30"' },
  options: { rate: 1000 },
  ...patch,
});

/** Starts the engine and waits (real time) until the campaign leaves 'running'/'scheduled'. */
export async function runUntilDone(w: World, id: string, opts: EngineOptions & { timeoutMs?: number } = {}): Promise<CampaignSummary> {
  w.campaigns.startEngine(opts);
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    const s = w.campaigns.get(id);
    if (s.state !== 'running' && s.state !== 'scheduled') return s;
    if (Date.now() > deadline) throw new Error(`campaign still ${s.state} after timeout: ${JSON.stringify(s.counts)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface CliWorld {
  /** The data folder the CLI runs on. */
  dataDir: string;
  /** The Sandbox `start` connected the folder to. */
  readonly sandbox: SandboxHandle;
  /**
   * Runs `pacer --data-dir DIR …` in process, the access token given by the environment as a user's
   * shell would (PACER_ACCESS_TOKEN); fails the test unless it exits with `expectCode`.
   */
  cli(args: string[], expectCode?: number): Promise<{ out: string[]; err: string[] }>;
  /**
   * Starts a Sandbox, connects the folder to it and syncs its templates through the CLI, then lets
   * `seed` write to the store with a core of its own (closed before the CLI opens the folder again).
   */
  start(opts?: { tier?: string; seed?: (core: Core) => void | Promise<void> }): Promise<void>;
  close(): Promise<void>;
}

/** A data folder driven through the CLI against an in-process Sandbox (the CLI tests' common setup). */
export function cliWorld(dataDir: string = tempDataDir()): CliWorld {
  let sandbox: SandboxHandle | null = null;
  const env = { PACER_ACCESS_TOKEN: SANDBOX_ACCESS_TOKEN };
  const cli: CliWorld['cli'] = async (args, expectCode = 0) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env, untilSignal: () => new Promise(() => {}) };
    const code = await runCli(['--data-dir', dataDir, ...args], io);
    expect(code, err.join('\n')).toBe(expectCode);
    return { out, err };
  };
  return {
    dataDir,
    get sandbox() {
      if (!sandbox) throw new Error('cliWorld: start() first');
      return sandbox;
    },
    cli,
    async start(opts = {}) {
      sandbox = await startSandbox({ scenario: scenario(opts.tier ? { tier: opts.tier } : {}) });
      await cli([
        'account',
        'connect',
        '--waba-id',
        SANDBOX_WABA_ID,
        '--phone-number-id',
        SANDBOX_PHONE_NUMBER_ID,
        '--graph-url',
        sandbox.baseUrl,
      ]);
      await cli(['templates', 'sync']);
      if (opts.seed) {
        const core = createCore({ dataDir, host: 'cli', log: silentLogger });
        try {
          await opts.seed(core);
        } finally {
          await core.close();
        }
      }
    },
    async close() {
      await sandbox?.close();
    },
  };
}

/** `pacer campaign create` arguments: a name, an en_US template, an audience and one `--param key=source` each. */
export const createArgs = (name: string, template: string, audience: string, params: Record<string, string>): string[] => [
  ...['campaign', 'create', '--name', name, '--template', template, '--language', 'en_US', '--audience', audience],
  ...Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`]),
];

/** Polls `fn` (every 20 ms) until `pred` holds; fails after `ms` naming what it waited for and the last value. */
export async function until<T>(fn: () => T | Promise<T>, pred: (v: T) => boolean, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (pred(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
