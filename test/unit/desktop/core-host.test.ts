import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CoreStatus } from '../../../electron/main/core-host';

vi.mock('electron', async () => (await import('../../support/fake-electron')).electronModule);
const fe = await import('../../support/fake-electron');
const { CoreHost } = await import('../../../electron/main/core-host');

const FAST = { delaysMs: [20, 40, 80], maxCrashes: 3, windowMs: 60_000 };

function host(overrides: Partial<ConstructorParameters<typeof CoreHost>[0]> = {}) {
  const statuses: CoreStatus[] = [];
  let settings = {
    language: 'en',
    theme: 'system',
    defaultCountry: 'IL',
    caFile: null,
    systemCa: false,
    webhookRetentionDays: 30,
    mmStrict: false,
  } as const;
  const h = new CoreHost({
    bundleDir: '/app/dist/electron',
    dataDir: '/data',
    settings: () => settings,
    secrets: () => ({ access_token: 'tok-1234' }),
    vault: { backend: 'safe-storage', secure: true, warning: null },
    storeKey: { hex: 'ab'.repeat(32), location: { kind: 'keychain' } },
    onEvent: () => undefined,
    onSettings: (s) => {
      settings = s as typeof settings;
    },
    onSecret: () => Promise.resolve({ ok: true }),
    onStatus: (s) => statuses.push(s),
    unavailableMessage: (state) => `engine ${state}`,
    restart: FAST,
    ...overrides,
  });
  return { h, statuses };
}

const until = async (cond: () => boolean, ms = 2_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
};

describe('CoreHost: a core that dies', () => {
  beforeEach(() => fe.resetFakeElectron());
  afterEach(() => vi.useRealTimers());

  it('fails pending and later calls at once, restarts with back-off and answers again', async () => {
    fe.fake.script.call = (method) => (method === 'slow' ? 'hang' : { ok: true, value: method });
    const { h, statuses } = host();
    await h.ready();
    expect(await h.call('app:info', {})).toEqual({ ok: true, value: 'app:info' });

    const pending = h.call('slow' as never, {});
    fe.fake.children[0]!.exit(9); // crash
    // Settles right away (no timeout involved): a Result the renderer translates.
    await expect(pending).resolves.toMatchObject({ ok: false, code: 'core_unavailable', message: 'engine restarting' });
    await expect(h.call('app:info', {})).resolves.toMatchObject({ ok: false, code: 'core_unavailable' });
    expect(h.running).toBe(false);
    expect(statuses).toEqual([{ state: 'restarting', attempt: 1, delayMs: 20 }]);

    await until(() => statuses.length === 2);
    expect(statuses[1]).toEqual({ state: 'restarted' });
    expect(fe.fake.children).toHaveLength(2);
    // The new core gets the current settings and secrets.
    expect(fe.fake.children[1]!.posted[0]).toMatchObject({
      type: 'init',
      dataDir: '/data',
      secrets: { access_token: 'tok-1234' },
      storeKey: { hex: 'ab'.repeat(32), location: { kind: 'keychain' } },
    });
    expect(await h.call('app:info', {})).toEqual({ ok: true, value: 'app:info' });
  });

  it('backs off 0.5 s, 2 s, 8 s by default and gives up after too many crashes in a minute', async () => {
    const { DEFAULT_RESTART } = await import('../../../electron/main/core-host');
    expect(DEFAULT_RESTART).toEqual({ delaysMs: [500, 2_000, 8_000], maxCrashes: 3, windowMs: 60_000 });
    const { h, statuses } = host();
    await h.ready();
    for (let n = 1; n <= 3; n++) {
      fe.fake.children[n - 1]!.exit(1);
      await until(() => statuses.at(-1)?.state === 'restarted');
      expect(statuses.at(-2)).toEqual({ state: 'restarting', attempt: n, delayMs: FAST.delaysMs[n - 1] });
    }
    fe.fake.children[3]!.exit(1);
    expect(statuses.at(-1)).toEqual({ state: 'stopped' });
    await new Promise((r) => setTimeout(r, 120));
    expect(fe.fake.children).toHaveLength(4); // no fifth start
    await expect(h.call('app:info', {})).resolves.toMatchObject({
      ok: false,
      code: 'core_unavailable',
      details: { state: 'stopped' },
      message: 'engine stopped',
    });
    await h.shutdown(50); // quitting still works
  });

  it('forgets crashes older than the window', async () => {
    let now = 0;
    const { h, statuses } = host({ now: () => now, restart: { delaysMs: [1], maxCrashes: 1, windowMs: 1_000 } });
    await h.ready();
    fe.fake.children[0]!.exit(1);
    await until(() => statuses.at(-1)?.state === 'restarted');
    now = 5_000; // a minute later, one crash is not "crashing all the time"
    fe.fake.children[1]!.exit(1);
    expect(statuses.at(-1)).toMatchObject({ state: 'restarting', attempt: 1 });
    await until(() => statuses.at(-1)?.state === 'restarted');
  });

  it('a restart whose init fails counts as another crash', async () => {
    const { h, statuses } = host();
    await h.ready();
    fe.fake.script.init = { failed: 'disk full' };
    fe.fake.children[0]!.exit(1);
    await until(() => statuses.some((s) => s.state === 'restarting' && s.attempt === 2));
    fe.fake.script.init = 'ready';
    await until(() => statuses.at(-1)?.state === 'restarted');
    expect(fe.fake.children[1]!.killed).toBe(true);
  });

  it('a first start that fails is a startup error: ready rejects and nothing restarts', async () => {
    fe.fake.script.init = { failed: 'Pacer is already running with this data folder' };
    const { h, statuses } = host();
    await expect(h.ready()).rejects.toThrow('already running');
    await new Promise((r) => setTimeout(r, 60));
    expect(fe.fake.children).toHaveLength(1);
    expect(statuses).toEqual([]);
  });

  it('shutdown is bounded: a hung core is killed and pending calls fail', async () => {
    fe.fake.script.call = () => 'hang';
    fe.fake.script.shutdown = 'hang';
    const { h, statuses } = host();
    await h.ready();
    const pending = h.call('app:info', {});
    const t0 = Date.now();
    await h.shutdown(80);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(fe.fake.children[0]!.killed).toBe(true);
    await expect(pending).resolves.toMatchObject({ ok: false, code: 'core_unavailable' });
    await new Promise((r) => setTimeout(r, 40));
    expect(statuses).toEqual([]); // a stop we asked for is not a crash
    expect(fe.fake.children).toHaveLength(1);
  });

  it('shutdown while a restart is scheduled cancels it and resolves at once', async () => {
    const { h } = host({ restart: { delaysMs: [200], maxCrashes: 3, windowMs: 60_000 } });
    await h.ready();
    fe.fake.children[0]!.exit(1);
    await h.shutdown(5_000);
    await new Promise((r) => setTimeout(r, 260));
    expect(fe.fake.children).toHaveLength(1);
  });

  it('answers the core whether a secret was saved (and a throwing store is "failed")', async () => {
    let calls = 0;
    const { h } = host({
      onSecret: () => {
        calls++;
        return calls === 1
          ? Promise.resolve({ ok: false, cause: 'unavailable', message: 'no keychain' })
          : Promise.reject(new Error('boom'));
      },
    });
    await h.ready();
    const child = fe.fake.children[0]!;
    child.reply({ type: 'secret:set', id: 7, name: 'access_token', value: 'EAAx' });
    child.reply({ type: 'secret:set', id: 8, name: 'app_secret', value: 'abc' });
    await until(() => child.posted.filter((m) => m.type === 'secret:saved').length === 2);
    const saved = child.posted.filter((m) => m.type === 'secret:saved');
    expect(saved).toEqual([
      { type: 'secret:saved', id: 7, result: { ok: false, cause: 'unavailable', message: 'no keychain' } },
      { type: 'secret:saved', id: 8, result: { ok: false, cause: 'failed', message: 'Error: boom' } },
    ]);
  });
});
