import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REPO, tempDataDir } from '../../support/harness';

vi.mock('electron', async () => (await import('../../support/fake-electron')).electronModule);
vi.mock('electron-store', async () => (await import('../../support/fake-electron')).electronStoreModule());
const fe = await import('../../support/fake-electron');
const { runApp, APP_USER_MODEL_ID, userDataDir } = await import('../../../electron/main/lifecycle');
const { STARTUP_ACTIONS } = await import('../../../electron/main/startup-error');

const until = async (cond: () => boolean, ms = 3_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
};

const RUNNING = [{ id: 'c1', name: 'Spring sale', state: 'running' }];

/** Starts the app's real lifecycle against the stand-in, on a fresh data folder. */
async function launch(opts: { platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv; dataDir?: string; ready?: boolean } = {}) {
  const dataDir = opts.dataDir ?? tempDataDir();
  runApp({
    bundleDir: '/app/dist/electron',
    platform: opts.platform ?? 'win32',
    env: { PACER_DATA_DIR: dataDir, ...opts.env },
    restart: { delaysMs: [10, 20, 40], maxCrashes: 3, windowMs: 60_000 },
    quitTimeoutMs: 100,
  });
  fe.app.emitReady();
  if (opts.ready !== false) await until(() => fe.BrowserWindow.all.length > 0);
  return { dataDir, win: () => fe.BrowserWindow.all[0]! };
}

function sending(n: number) {
  fe.fake.script.call = (method) => (method === 'campaigns:list' ? { ok: true, value: RUNNING.slice(0, n) } : { ok: true, value: null });
}

const ipcCall = (method: string) =>
  fe.ipcMain.handlers.get(method)!({ senderFrame: { url: 'app://pacer/index.html', parent: null } }, {}) as unknown as Promise<unknown>;

describe('desktop lifecycle', () => {
  beforeEach(() => fe.resetFakeElectron());
  afterEach(() => vi.useRealTimers());

  it('names itself and its data folder before anything reads them; Windows gets the appId as AppUserModelId', async () => {
    const { dataDir } = await launch({ platform: 'win32' });
    expect(fe.app.name).toBe('Pacer');
    expect(fe.app.getPath('userData')).toBe(dataDir); // PACER_DATA_DIR: the lock is per data folder
    expect(userDataDir('/home/u/.config', {})).toBe(path.join('/home/u/.config', 'Pacer'));
    expect(userDataDir('/home/u/.config', { PACER_DATA_DIR: '/tmp/p' })).toBe(path.resolve('/tmp/p'));
    const builder = parse(fs.readFileSync(path.join(REPO, 'electron-builder.yml'), 'utf8')) as { appId: string };
    expect(APP_USER_MODEL_ID).toBe(builder.appId);
    expect(fe.app.appUserModelId).toBe(builder.appId);
  });

  it('does not set an AppUserModelId elsewhere', async () => {
    await launch({ platform: 'linux' });
    expect(fe.app.appUserModelId).toBeNull();
  });

  it('a second launch without the lock quits at once', () => {
    fe.app.gotLock = false;
    let quit = false;
    fe.app.on('before-quit', () => {
      quit = true;
    });
    runApp({ bundleDir: '/x', platform: 'linux', env: {} });
    expect(quit).toBe(true);
    expect(fe.protocol.privileged).toHaveLength(0); // nothing else was set up
    expect(fe.fake.children).toHaveLength(0);
  });

  describe('an error before the core is ready', () => {
    it('a damaged settings.json: error window with the reason, the log and a way out; the reset puts it aside and relaunches', async () => {
      const dataDir = tempDataDir();
      fs.writeFileSync(path.join(dataDir, 'settings.json'), '{ "language": "he", oops');
      const { win } = await launch({ dataDir, platform: 'linux' });
      expect(fe.fake.children).toHaveLength(0); // the core never started
      const w = win();
      expect(w.options.webPreferences).toMatchObject({
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        javascript: false,
        devTools: false,
      });
      expect((w.options.webPreferences as Record<string, unknown>).preload).toBeUndefined();
      const html = decodeURIComponent(w.url!.replace(/^data:text\/html;charset=utf-8,/, ''));
      expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain('settings.json is damaged');
      expect(html).toContain(path.join(dataDir, 'logs', 'main.log'));
      expect(html).toContain(path.join(dataDir, 'settings.json'));
      expect(fs.readFileSync(path.join(dataDir, 'logs', 'main.log'), 'utf8')).toContain('startup failed');

      expect(w.webContents.navigate(STARTUP_ACTIONS.reset)).toBe(true); // caught, never loaded
      expect(fs.existsSync(path.join(dataDir, 'settings.json'))).toBe(false);
      const backups = fs.readdirSync(dataDir).filter((f) => f.startsWith('settings.json.broken-'));
      expect(backups).toHaveLength(1);
      expect(fs.readFileSync(path.join(dataDir, backups[0]!), 'utf8')).toBe('{ "language": "he", oops');
      expect(fe.app.relaunched).toBe(true);
      expect(fe.app.lockReleased).toBe(true);
      expect(fe.app.exitCode).toBe(0);
    });

    it('quitting from the error window (or closing it) releases the single-instance lock', async () => {
      const dataDir = tempDataDir();
      fs.writeFileSync(path.join(dataDir, 'secrets.json'), 'not json');
      const { win } = await launch({ dataDir });
      expect(decodeURIComponent(win().url!)).toContain('secrets.json is damaged');
      win().close();
      expect(fe.app.lockReleased).toBe(true);
      expect(fe.app.exitCode).toBe(1);
      expect(fe.app.relaunched).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'secrets.json'))).toBe(true); // nothing touched without asking
    });

    it('a core that cannot start (the data folder is in use): error window without a reset, lock released', async () => {
      fe.fake.script.init = { failed: 'Pacer is already running with this data folder (cli, process 42).' };
      const { win } = await launch();
      const html = decodeURIComponent(win().url!);
      expect(html).toContain('already running with this data folder');
      expect(html).not.toContain('id="reset"');
      // A second launch meanwhile brings the error window forward rather than doing nothing.
      win().focused = false;
      fe.app.emit('second-instance');
      expect(win().focused).toBe(true);
      expect(win().webContents.navigate(STARTUP_ACTIONS.quit)).toBe(true);
      expect(fe.app.lockReleased).toBe(true);
      expect(fe.app.exitCode).toBe(1);
    });

    it('escapes what it shows', async () => {
      fe.fake.script.init = { failed: '<img src=x onerror=alert(1)>' };
      const { win } = await launch();
      const html = decodeURIComponent(win().url!);
      expect(html).not.toContain('<img');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    });
  });

  describe('the window while a campaign sends', () => {
    it('Windows: closing hides it to the tray; launching again shows it', async () => {
      sending(1);
      const { win } = await launch({ platform: 'win32' });
      await until(() => fe.Tray.all.length === 1);
      expect(win().close()).toBe(false);
      expect(win().isVisible()).toBe(false);
      win().focused = false;
      fe.app.emit('second-instance');
      expect(win().isVisible()).toBe(true);
      expect(win().focused).toBe(true);
    });

    it('a minimised window is restored by a second launch', async () => {
      const { win } = await launch();
      win().minimize();
      fe.app.emit('second-instance');
      expect(win().isMinimized()).toBe(false);
      expect(win().isVisible()).toBe(true);
    });

    it('Linux without a StatusNotifier host (GNOME): never hides the only window, asks instead — keep sending minimises', async () => {
      sending(1);
      const { win } = await launch({ platform: 'linux', env: { XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' } });
      await until(() => fe.Tray.all.length === 1);
      fe.dialog.response = 0;
      expect(win().close()).toBe(false);
      await until(() => win().isMinimized());
      expect(win().isVisible()).toBe(true);
      expect(fe.dialog.boxes[0]!.buttons).toEqual(['Keep sending (minimise)', 'Quit and stop sending']);
      expect(fe.app.exitCode).toBeNull();
    });

    it('Linux: "Quit and stop sending" stops the core cleanly and exits', async () => {
      sending(1);
      const { win } = await launch({ platform: 'linux', env: { XDG_CURRENT_DESKTOP: 'GNOME' } });
      await until(() => fe.Tray.all.length === 1);
      fe.dialog.response = 1;
      win().close();
      await until(() => fe.app.exitCode !== null);
      expect(fe.fake.children[0]!.posted.some((m) => m.type === 'shutdown')).toBe(true);
      expect(fe.app.exitCode).toBe(0);
      expect(fe.app.lockReleased).toBe(true);
    });

    it('Linux on KDE (a StatusNotifier host) hides to the tray like Windows', async () => {
      sending(1);
      const { win } = await launch({ platform: 'linux', env: { XDG_CURRENT_DESKTOP: 'KDE' } });
      await until(() => fe.Tray.all.length === 1);
      win().close();
      expect(win().isVisible()).toBe(false);
      expect(fe.dialog.boxes).toHaveLength(0);
    });

    it('where no tray can be created, closing asks even on Windows', async () => {
      sending(1);
      fe.Tray.throws = true;
      const { win } = await launch({ platform: 'win32' });
      await new Promise((r) => setTimeout(r, 20));
      win().close();
      await until(() => win().isMinimized());
      expect(win().isVisible()).toBe(true);
    });

    it('macOS: the tray icon is a template image, and activate (Dock click) shows the hidden window', async () => {
      sending(1);
      const { win } = await launch({ platform: 'darwin' });
      await until(() => fe.Tray.all.length === 1);
      expect(fe.Tray.all[0]!.image.template).toBe(true);
      win().close();
      expect(win().isVisible()).toBe(false);
      fe.app.emit('activate');
      expect(win().isVisible()).toBe(true);
    });

    it('nothing sending: closing the window closes it (and the app quits)', async () => {
      const { win } = await launch({ platform: 'linux' });
      await until(() => fe.Tray.all.length === 1);
      expect(win().close()).toBe(true);
    });
  });

  describe('the engine crashes', () => {
    it('calls fail at once, the window is told (campaign interrupted), the core restarts, and quitting still works', async () => {
      sending(1);
      const { win } = await launch({ platform: 'win32' });
      await until(() => fe.Tray.all.length === 1 && fe.Tray.all[0]!.tooltip.includes('sending'));
      fe.fake.script.call = () => 'hang';
      const pending = ipcCall('campaigns:list');
      fe.fake.children[0]!.exit(139);
      await expect(pending).resolves.toMatchObject({ ok: false, code: 'core_unavailable', message: expect.stringContaining('restarting') });
      await expect(ipcCall('app:info')).resolves.toMatchObject({ ok: false, code: 'core_unavailable' });
      const engine = () =>
        win()
          .webContents.sent.filter((s) => s.channel === 'event:app:engine')
          .map((s) => s.payload);
      expect(engine()[0]).toEqual({ state: 'restarting', interrupted: true });
      sending(1);
      await until(() => engine().length === 2);
      expect(engine()[1]).toEqual({ state: 'restarted', interrupted: true });
      await expect(ipcCall('app:info')).resolves.toMatchObject({ ok: true });

      // Quit: the user confirms (a campaign is sending), the core stops, the app exits.
      fe.dialog.response = 1;
      fe.app.quit();
      await until(() => fe.app.exitCode !== null);
      expect(fe.app.exitCode).toBe(0);
      expect(fe.fake.children[1]!.posted.some((m) => m.type === 'shutdown')).toBe(true);
    });

    it('quitting while the engine is down does not wait for it, nor ask', async () => {
      sending(1);
      await launch({ platform: 'win32' });
      await until(() => fe.Tray.all.length === 1);
      fe.fake.script.init = 'hang'; // the restart never becomes ready
      fe.fake.children[0]!.exit(1);
      fe.app.quit();
      await until(() => fe.app.exitCode !== null);
      expect(fe.dialog.boxes).toHaveLength(0);
      expect(fe.app.lockReleased).toBe(true);
    });

    it('quitting with a hung core ends within the bounded wait', async () => {
      await launch();
      fe.fake.script.shutdown = 'hang';
      const t0 = Date.now();
      fe.app.quit();
      await until(() => fe.app.exitCode !== null);
      expect(Date.now() - t0).toBeLessThan(2_000);
      expect(fe.fake.children[0]!.killed).toBe(true);
    });
  });

  describe('the OS shuts down', () => {
    it('Linux/macOS powerMonitor shutdown: delays it and stops as Quit does, without asking', async () => {
      sending(1);
      await launch({ platform: 'linux' });
      await until(() => fe.Tray.all.length === 1);
      const e = fe.preventable();
      fe.powerMonitor.emit('shutdown', e);
      expect(e.defaultPrevented).toBe(true);
      await until(() => fe.app.exitCode !== null);
      expect(fe.dialog.boxes).toHaveLength(0);
      expect(fe.fake.children[0]!.posted.some((m) => m.type === 'shutdown')).toBe(true);
      expect(fe.app.exitCode).toBe(0);
    });

    it('Windows session end (log off / shut down): the same graceful stop', async () => {
      sending(1);
      const { win } = await launch({ platform: 'win32' });
      await until(() => fe.Tray.all.length === 1);
      win().emit('query-session-end', { reasons: ['shutdown'], preventDefault() {} });
      win().emit('session-end', { reasons: ['shutdown'], preventDefault() {} });
      await until(() => fe.app.exitCode !== null);
      expect(fe.dialog.boxes).toHaveLength(0);
      expect(fe.fake.children[0]!.posted.filter((m) => m.type === 'shutdown')).toHaveLength(1);
    });
  });

  describe('menu and secrets', () => {
    it('sets its own menu, in the app language, and rebuilds it when the language changes', async () => {
      await launch({ platform: 'linux' });
      const labels = () => (fe.Menu.application!.template as { label: string }[]).map((m) => m.label);
      expect(labels()).toEqual(['File', 'Edit', 'View', 'Window']);
      fe.fake.children[0]!.reply({
        type: 'settings:set',
        settings: {
          language: 'he',
          theme: 'system',
          defaultCountry: 'IL',
          caFile: null,
          systemCa: false,
          webhookRetentionDays: 30,
          mmStrict: false,
        },
      });
      expect(labels()).toEqual(['קובץ', 'עריכה', 'תצוגה', 'חלון']);
    });

    it('a secret the keychain cannot store: the core is told "not saved" and nothing is written', async () => {
      const { dataDir } = await launch();
      fe.safeStorage.available = false;
      const child = fe.fake.children[0]!;
      child.reply({ type: 'secret:set', id: 1, name: 'access_token', value: 'EAAsecret' });
      await until(() => child.posted.some((m) => m.type === 'secret:saved'));
      expect(child.posted.find((m) => m.type === 'secret:saved')).toEqual({
        type: 'secret:saved',
        id: 1,
        result: { ok: false, cause: 'unavailable', message: expect.any(String) },
      });
      const stored = fs.existsSync(path.join(dataDir, 'secrets.json')) ? fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8') : '';
      expect(stored).not.toContain('EAAsecret');
      expect(fs.readFileSync(path.join(dataDir, 'logs', 'main.log'), 'utf8')).not.toContain('EAAsecret');
      // Its info said so from the start.
      expect(child.posted[0]).toMatchObject({ type: 'init', vault: { warning: null } });
    });
  });
});
