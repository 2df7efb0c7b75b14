// Electron main: lifecycle, the window, security, IPC, the keychain vault and settings file.
// The core (SQLite, imports, sending, webhooks) runs in a utility process, off the UI thread.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, type BrowserWindow } from 'electron';
import { CoreHost } from './core-host';
import { forwardEvent, registerIpc } from './ipc';
import { registerAppScheme, serveRenderer } from './protocol';
import { applySessionSecurity } from './security';
import { openSettingsFile } from './settings';
import { SafeStorageVault } from './vault';
import { createMainWindow } from './window';
import { DesktopPresence } from './desktop';
import type { CampaignAlert } from '../../shared/contract/campaigns';

const bundleDir = path.dirname(fileURLToPath(import.meta.url));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  let win: BrowserWindow | null = null;
  let core: CoreHost | null = null;
  let quitting = false;
  let desktop: DesktopPresence | null = null;
  let settingsSnapshot: ReturnType<ReturnType<typeof openSettingsFile>['read']> | null = null;

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.whenReady().then(async () => {
    const dataDir = process.env.PACER_DATA_DIR ? path.resolve(process.env.PACER_DATA_DIR) : app.getPath('userData');
    applySessionSecurity();
    serveRenderer(path.join(bundleDir, '..', 'renderer'));
    const settingsFile = openSettingsFile(dataDir);
    const vault = new SafeStorageVault(dataDir);
    core = new CoreHost({
      bundleDir,
      dataDir,
      settings: settingsFile.read(),
      secrets: vault.readAll(),
      vault: vault.info(),
      onEvent: (event, payload) => {
        forwardEvent(win?.webContents ?? null, event, payload);
        if (event === 'campaigns:alert') desktop?.notify(payload as CampaignAlert);
        if (event === 'campaigns:changed' || event === 'campaigns:alert') void desktop?.refresh();
      },
      onSettings: (s) => {
        settingsSnapshot = s;
        settingsFile.write(s);
      },
      onSecret: (name, value) => vault.write(name, value),
    });
    try {
      await core.ready();
    } catch (e) {
      dialog.showErrorBox('Pacer could not start', e instanceof Error ? e.message : String(e));
      app.exit(1);
      return;
    }
    registerIpc(core);
    settingsSnapshot = settingsFile.read();
    win = createMainWindow(bundleDir);
    desktop = new DesktopPresence(core, bundleDir, () => settingsSnapshot ?? settingsFile.read(), () => win);
    void desktop.refresh();
    // While a campaign sends, closing the window hides it to the tray: sending goes on.
    win.on('close', (event) => {
      if (!quitting && desktop && desktop.sending > 0) {
        event.preventDefault();
        win?.hide();
      }
    });
    win.on('closed', () => { win = null; });
  });

  app.on('window-all-closed', () => app.quit());

  // Clean shutdown: let the core stop its scheduler and finish in-flight sends before exiting.
  app.on('before-quit', (event) => {
    if (quitting || !core) return;
    event.preventDefault();
    void (async () => {
      if (desktop && !(await desktop.confirmQuit())) return;
      quitting = true;
      await core!.shutdown();
      app.exit(0);
    })();
  });
}
