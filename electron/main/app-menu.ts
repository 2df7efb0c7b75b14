import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { DesktopStrings } from './desktop-strings';

/**
 * Pacer's own menu, in the app's language (Electron's default one is English-only and offers
 * Reload and developer tools). Roles keep the platforms' standard shortcuts — the Edit menu is
 * what makes copy/paste shortcuts work on macOS. Developer tools only when not packaged.
 */
export function appMenuTemplate(s: DesktopStrings, platform: NodeJS.Platform, packaged: boolean): MenuItemConstructorOptions[] {
  const m = s.menu;
  const mac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: 'Pacer',
      submenu: [
        { role: 'about', label: m.about },
        { type: 'separator' },
        { role: 'hide', label: m.hide },
        { role: 'hideOthers', label: m.hideOthers },
        { role: 'unhide', label: m.unhide },
        { type: 'separator' },
        { role: 'quit', label: m.quit },
      ],
    });
  } else {
    template.push({ label: m.file, submenu: [{ role: 'close', label: m.close }, { type: 'separator' }, { role: 'quit', label: m.quit }] });
  }
  template.push({
    label: m.edit,
    submenu: [
      { role: 'undo', label: m.undo },
      { role: 'redo', label: m.redo },
      { type: 'separator' },
      { role: 'cut', label: m.cut },
      { role: 'copy', label: m.copy },
      { role: 'paste', label: m.paste },
      { role: 'selectAll', label: m.selectAll },
    ],
  });
  template.push({
    label: m.view,
    submenu: [
      { role: 'zoomIn', label: m.zoomIn },
      { role: 'zoomOut', label: m.zoomOut },
      { role: 'resetZoom', label: m.resetZoom },
      { type: 'separator' },
      { role: 'togglefullscreen', label: m.fullScreen },
      ...(packaged ? [] : [{ type: 'separator' as const }, { role: 'toggleDevTools' as const, label: m.devTools }]),
    ],
  });
  template.push({
    label: m.window,
    submenu: mac
      ? [{ role: 'minimize', label: m.minimize }, { role: 'zoom', label: m.zoom }, { type: 'separator' }, { role: 'front', label: m.front }]
      : [
          { role: 'minimize', label: m.minimize },
          { role: 'close', label: m.close },
        ],
  });
  return template;
}

export function applyAppMenu(s: DesktopStrings, platform: NodeJS.Platform, packaged: boolean): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(s, platform, packaged)));
}
