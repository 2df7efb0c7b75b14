import path from 'node:path';
import { app, dialog, powerMonitor, type BrowserWindow } from 'electron';
import type { CampaignAlert } from '../../shared/contract/campaigns';
import type { EngineStatus } from '../../shared/contract/app';
import type { Settings } from '../../shared/settings';
import { applyAppMenu } from './app-menu';
import { CoreHost, CoreInitError, type CoreStatus, type RestartPolicy } from './core-host';
import { DesktopPresence } from './desktop';
import { desktopLanguage, desktopStrings, storeKeyMessage } from './desktop-strings';
import { forwardEvent, registerIpc } from './ipc';
import { MainLog } from './main-log';
import { registerAppScheme, serveRenderer } from './protocol';
import { applySessionSecurity } from './security';
import { openSettingsFile } from './settings';
import { BrokenFileError, setAsideBrokenFile, showStartupErrorWindow, startupErrorHtml } from './startup-error';
import { SafeStorageVault } from './vault';
import { resolveStoreKey } from './store-key';
import { createMainWindow } from './window';

/** electron-builder.yml's appId: Windows groups the taskbar and attributes notifications by it. */
export const APP_USER_MODEL_ID = 'app.pacer.desktop';
export const PRODUCT_NAME = 'Pacer';

/**
 * Electron's user-data folder: the data folder itself when PACER_DATA_DIR names one (so the
 * single-instance lock, like pacer.lock, is per data folder: a test or a second profile never
 * meets the everyday app), else <appData>/Pacer whatever the launch.
 */
export function userDataDir(appData: string, env: NodeJS.ProcessEnv): string {
  return env.PACER_DATA_DIR ? path.resolve(env.PACER_DATA_DIR) : path.join(appData, PRODUCT_NAME);
}

export interface RunOptions {
  bundleDir: string;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  restart?: RestartPolicy;
  /** How long quitting waits for the core to finish in-flight work before killing it. */
  quitTimeoutMs?: number;
}

/**
 * The app's lifecycle. Everything that can fail before the window exists is caught: the user
 * gets an error window (with the log's path and, for a damaged file, a way out) and the process
 * always ends releasing the single-instance lock — never an invisible process that makes every
 * later launch do nothing.
 */
export function runApp(opts: RunOptions): void {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;

  // Launched as `electron dist/electron/main.mjs` the app would be "Electron", with its data (and
  // single-instance lock) in Electron's folder: name it, and its folder, before anything reads them.
  app.setName(PRODUCT_NAME);
  app.setPath('userData', userDataDir(app.getPath('appData'), env));
  if (platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();

  let win: BrowserWindow | null = null;
  let errorWindow: BrowserWindow | null = null;
  let core: CoreHost | null = null;
  let desktop: DesktopPresence | null = null;
  let settings: Settings | null = null;
  let log: MainLog | null = null;
  let started = false;
  let quitting = false;
  let exiting = false;
  let asking = false;
  let stopping: Promise<void> | null = null;
  /** Whether the crash being recovered from interrupted sending. */
  let interrupted = false;

  const strings = () => desktopStrings(settings ?? { language: 'system' }, app.getPreferredSystemLanguages());

  const exit = (code: number) => {
    exiting = true;
    app.releaseSingleInstanceLock();
    app.exit(code);
  };

  /** Brings the window back: restored, shown (also from the tray) and focused; recreated if gone. */
  const showWindow = () => {
    if (errorWindow && !errorWindow.isDestroyed()) return errorWindow.focus();
    if (!win && started && !quitting) openWindow();
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  /** The same graceful stop for Quit, the OS shutting down and the session ending. Bounded. */
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      quitting = true;
      try {
        await core?.shutdown(opts.quitTimeoutMs ?? 10_000);
      } finally {
        desktop?.destroy();
        exit(0);
      }
    })();
    return stopping;
  };

  const requestQuit = async (confirm: boolean): Promise<void> => {
    if (stopping || asking) return;
    if (confirm && desktop && core?.running) {
      asking = true;
      try {
        if (!(await desktop.confirmQuit())) return;
      } finally {
        asking = false;
      }
    }
    await stop();
  };

  const openWindow = () => {
    const w = createMainWindow(opts.bundleDir);
    win = w;
    w.on('close', (event) => {
      if (quitting || !desktop || desktop.sending === 0) return;
      // Sending goes on while the window is away: hide it to the tray, or — where no tray can
      // bring it back — never hide the only window: ask (quit and stop, or keep sending minimised).
      event.preventDefault();
      if (desktop.canHideToTray) return w.hide();
      if (asking) return;
      asking = true;
      void desktop.confirmCloseWithoutTray().then((quit) => {
        asking = false;
        if (quit) void stop();
        else w.minimize();
      });
    });
    w.on('closed', () => {
      if (win === w) win = null;
    });
    // Windows: logging off or shutting down ends the session; stop as Quit does, without asking.
    if (platform === 'win32') {
      w.on('query-session-end', () => void stop());
      w.on('session-end', () => void stop());
    }
  };

  const onCoreStatus = (status: CoreStatus) => {
    if (status.state === 'restarting' && status.attempt === 1) interrupted = (desktop?.sending ?? 0) > 0;
    log?.write(status.state === 'restarted' ? 'info' : 'error', `engine ${status.state}`, { ...status, interrupted });
    const payload: EngineStatus = { state: status.state, interrupted };
    forwardEvent(win?.webContents ?? null, 'app:engine', payload);
    if (status.state === 'restarted') {
      interrupted = false;
      void desktop?.refresh();
    }
  };

  const startupFailed = (e: unknown) => {
    const message = e instanceof CoreInitError ? (storeKeyMessage(e, strings()) ?? e.message) : e instanceof Error ? e.message : String(e);
    const logged = log?.write('error', 'startup failed', { error: e instanceof Error ? (e.stack ?? message) : message }) ?? false;
    const failure = { message, logFile: logged && log ? log.file : null, brokenFile: e instanceof BrokenFileError ? e.file : null };
    void core?.shutdown(2_000);
    core = null;
    const s = strings();
    const rtl = desktopLanguage(settings ?? { language: 'system' }, app.getPreferredSystemLanguages()) === 'he';
    try {
      errorWindow = showStartupErrorWindow(startupErrorHtml(failure, s.startup, rtl), s.startup.title, (action) => {
        if (exiting) return;
        if (action === 'reset' && failure.brokenFile) {
          try {
            const backup = setAsideBrokenFile(failure.brokenFile);
            log?.write('info', 'damaged file set aside', { file: failure.brokenFile, backup });
            app.relaunch();
            return exit(0);
          } catch (err) {
            log?.write('error', 'could not set the damaged file aside', { error: String(err) });
            dialog.showErrorBox(s.startup.title, String(err));
          }
        }
        exit(1);
      });
    } catch (err) {
      // Not even a window: the OS error box, then leave (the lock goes with the process).
      dialog.showErrorBox(s.startup.title, `${message}${failure.logFile ? `\n\n${failure.logFile}` : ''}\n\n${String(err)}`);
      exit(1);
    }
  };

  const start = async () => {
    const dataDir = env.PACER_DATA_DIR ? path.resolve(env.PACER_DATA_DIR) : app.getPath('userData');
    log = new MainLog(dataDir);
    try {
      applySessionSecurity();
      serveRenderer(path.join(opts.bundleDir, '..', 'renderer'));
      applyAppMenu(strings(), platform, app.isPackaged);
      const settingsFile = openSettingsFile(dataDir);
      settings = settingsFile.read();
      applyAppMenu(strings(), platform, app.isPackaged);
      const vault = new SafeStorageVault(dataDir, platform);
      await vault.readAll((what, name, error) => log?.write('warn', `secret could not ${what}`, { name, error: String(error) }));
      const vaultInfo = await vault.info();
      const storeKey = await resolveStoreKey(dataDir, vault, env, (e) =>
        log?.write('error', 'the store key could not be decrypted', { error: String(e) }),
      );
      const host = new CoreHost({
        bundleDir: opts.bundleDir,
        dataDir,
        settings: () => settings ?? settingsFile.read(),
        secrets: () => vault.current(),
        vault: vaultInfo,
        storeKey,
        ...(opts.restart ? { restart: opts.restart } : {}),
        onEvent: (event, payload) => {
          forwardEvent(win?.webContents ?? null, event, payload);
          if (event === 'campaigns:alert') desktop?.notify(payload as CampaignAlert);
          if (event === 'campaigns:changed' || event === 'campaigns:alert') void desktop?.refresh();
        },
        onSettings: (s) => {
          const languageChanged = s.language !== settings?.language;
          settings = s;
          settingsFile.write(s);
          if (languageChanged) applyAppMenu(strings(), platform, app.isPackaged);
        },
        onSecret: async (name, value) => {
          const r = await vault.write(name, value);
          if (!r.ok) log?.write('error', 'secret not saved', { name, cause: r.cause, error: r.message });
          return r;
        },
        onStatus: onCoreStatus,
        unavailableMessage: (state) => (state === 'stopped' ? strings().engineStopped : strings().engineRestarting),
      });
      core = host;
      await host.ready();
      registerIpc(host);
      started = true;
      openWindow();
      desktop = new DesktopPresence(
        host,
        opts.bundleDir,
        () => settings ?? settingsFile.read(),
        () => win,
        { platform, vars: env },
      );
      void desktop.refresh();
    } catch (e) {
      startupFailed(e);
    }
  };

  app.on('second-instance', () => showWindow());
  // macOS: clicking the Dock icon brings back a hidden (or closed) window.
  app.on('activate', () => showWindow());

  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => startupFailed(e));

  // Linux and macOS: the OS is shutting down or restarting. Delay it briefly and stop cleanly.
  if (platform !== 'win32') {
    void app.whenReady().then(() => {
      // Electron passes an event whose preventDefault delays the shutdown (its typings omit it).
      powerMonitor.on('shutdown', (...args: unknown[]) => {
        (args[0] as { preventDefault?: () => void } | undefined)?.preventDefault?.();
        void stop();
      });
    });
  }

  app.on('window-all-closed', () => {
    if (!errorWindow) app.quit();
  });

  // Clean shutdown: let the core stop its scheduler and finish in-flight sends before exiting.
  app.on('before-quit', (event) => {
    if (exiting) return;
    event.preventDefault();
    if (!core) return exit(0);
    void requestQuit(true);
  });
}
