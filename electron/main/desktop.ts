import path from 'node:path';
import { app, dialog, Menu, nativeImage, Notification, Tray, type BrowserWindow } from 'electron';
import type { CampaignAlert, CampaignSummary } from '../../shared/contract/campaigns';
import type { Result } from '../../shared/contract';
import type { Settings } from '../../shared/settings';
import { desktopStrings } from './desktop-strings';
import type { CoreHost } from './core-host';

/**
 * The app keeps sending while a campaign runs: closing the window hides it to the tray, quitting
 * asks first, and automatic pauses/completions show as OS notifications.
 */
export class DesktopPresence {
  private tray: Tray | null = null;
  private running = 0;

  constructor(
    private readonly core: CoreHost,
    private readonly bundleDir: string,
    private readonly settings: () => Settings,
    private readonly window: () => BrowserWindow | null,
  ) {}

  private strings() {
    return desktopStrings(this.settings(), app.getPreferredSystemLanguages());
  }

  async refresh(): Promise<void> {
    const r = (await this.core.call('campaigns:list', { state: 'running' })) as Result<CampaignSummary[]>;
    this.running = r.ok ? r.value.length : 0;
    this.updateTray();
  }

  get sending(): number {
    return this.running;
  }

  private updateTray(): void {
    const s = this.strings();
    if (!this.tray) {
      this.tray = new Tray(nativeImage.createFromPath(path.join(this.bundleDir, 'tray.png')));
      this.tray.on('click', () => this.show());
    }
    this.tray.setToolTip(this.running ? s.sending(this.running) : s.idle);
    this.tray.setContextMenu(Menu.buildFromTemplate([
      { label: s.show, click: () => this.show() },
      { type: 'separator' },
      { label: s.quit, click: () => app.quit() },
    ]));
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

  /** True when quitting may go ahead (nothing sending, or the user confirmed). */
  async confirmQuit(): Promise<boolean> {
    await this.refresh();
    if (!this.running) return true;
    const s = this.strings();
    const win = this.window();
    const options = { type: 'warning' as const, title: s.quitTitle, message: s.quitTitle, detail: s.quitBody(this.running), buttons: [s.keepSending, s.quitAnyway], defaultId: 0, cancelId: 0 };
    const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
    return response === 1;
  }
}
