import path from 'node:path';
import { app, dialog, Menu, nativeImage, Notification, Tray, type BrowserWindow } from 'electron';
import type { CampaignAlert, CampaignSummary } from '../../shared/contract/campaigns';
import type { Result } from '../../shared/contract';
import type { Settings } from '../../shared/settings';
import { desktopStrings } from './desktop-strings';
import type { CoreHost } from './core-host';

/**
 * Whether a tray icon is sure to be visible, so hiding the only window to it is safe. Windows and
 * macOS always show one. Linux shows one only where the desktop hosts StatusNotifier items: KDE
 * Plasma does; stock GNOME does not (Tray creation succeeds, yet nothing appears) and other
 * desktops vary — so on Linux the window is never hidden unless the desktop is KDE.
 */
export function trayIsDependable(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): boolean {
  if (platform === 'win32' || platform === 'darwin') return true;
  const desktops = `${env.XDG_CURRENT_DESKTOP ?? ''}:${env.XDG_SESSION_DESKTOP ?? ''}`.toUpperCase().split(':');
  return desktops.includes('KDE');
}

/**
 * The app keeps sending while a campaign runs: closing the window hides it to the tray (where a
 * tray is dependable) or asks, quitting asks first, and automatic pauses/completions show as OS
 * notifications.
 */
export class DesktopPresence {
  private tray: Tray | null = null;
  private trayFailed = false;
  private running = 0;

  constructor(
    private readonly core: CoreHost,
    private readonly bundleDir: string,
    private readonly settings: () => Settings,
    private readonly window: () => BrowserWindow | null,
    private readonly env: { platform: NodeJS.Platform; vars: NodeJS.ProcessEnv } = { platform: process.platform, vars: process.env },
  ) {}

  private strings() {
    return desktopStrings(this.settings(), app.getPreferredSystemLanguages());
  }

  async refresh(): Promise<void> {
    const r = (await this.core.call('campaigns:list', { state: 'running' })) as Result<CampaignSummary[]>;
    // While the engine is down keep the last count: it tells whether a crash interrupted sending.
    if (r.ok) this.running = r.value.length;
    else if (r.code !== 'core_unavailable') this.running = 0;
    this.updateTray();
  }

  get sending(): number {
    return this.running;
  }

  /** True when the window may be hidden with nothing else on screen to bring it back. */
  get canHideToTray(): boolean {
    return this.tray !== null && trayIsDependable(this.env.platform, this.env.vars);
  }

  private updateTray(): void {
    const s = this.strings();
    if (!this.tray && !this.trayFailed) {
      try {
        const image = nativeImage.createFromPath(path.join(this.bundleDir, 'tray.png'));
        // macOS draws menu-bar icons from the alpha channel in the bar's own colour (dark/light).
        if (this.env.platform === 'darwin') image.setTemplateImage(true);
        this.tray = new Tray(image);
        this.tray.on('click', () => this.show());
      } catch {
        this.trayFailed = true; // no tray here: closing the window asks instead of hiding it
        return;
      }
    }
    if (!this.tray) return;
    this.tray.setToolTip(this.running ? s.sending(this.running) : s.idle);
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: s.show, click: () => this.show() },
        { type: 'separator' },
        { label: s.quit, click: () => app.quit() },
      ]),
    );
  }

  show(): void {
    const win = this.window();
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }

  notify(alert: CampaignAlert): void {
    if (!Notification.isSupported()) return;
    const s = this.strings();
    const n = new Notification({ title: s.alert[alert.kind], body: alert.detail ? `${alert.name} — ${alert.detail}` : alert.name });
    n.on('click', () => this.show());
    n.show();
  }

  private async ask(detail: string, buttons: [string, string]): Promise<boolean> {
    const s = this.strings();
    const win = this.window();
    const options = { type: 'warning' as const, title: s.quitTitle, message: s.quitTitle, detail, buttons, defaultId: 0, cancelId: 0 };
    const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
    return response === 1;
  }

  /** True when quitting may go ahead (nothing sending, or the user confirmed). */
  async confirmQuit(): Promise<boolean> {
    await this.refresh();
    if (!this.running) return true;
    const s = this.strings();
    return this.ask(s.quitBody(this.running), [s.keepSending, s.quitAnyway]);
  }

  /** Closing the only window while sending where no tray can bring it back: true = quit. */
  async confirmCloseWithoutTray(): Promise<boolean> {
    const s = this.strings();
    return this.ask(s.closeBody(this.running), [s.keepMinimised, s.quitAndStop]);
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = null;
  }
}
