import fs from 'node:fs';
import path from 'node:path';
import { BrowserWindow } from 'electron';
import type { DesktopStrings } from './desktop-strings';

/** A file Pacer could not read at start (settings.json or secrets.json that is not JSON). */
export class BrokenFileError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`${path.basename(file)} is damaged: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'BrokenFileError';
  }

  /** Runs `open`; a failure becomes a BrokenFileError naming `file`, if the file is there to blame. */
  static guard<T>(file: string, open: () => T): T {
    try {
      return open();
    } catch (e) {
      throw fs.existsSync(file) ? new BrokenFileError(file, e) : e;
    }
  }
}

export interface StartupFailure {
  message: string;
  /** Where main wrote the details, or null when even that failed. */
  logFile: string | null;
  /** A file the user may put aside (renamed, never deleted) and restart. */
  brokenFile: string | null;
}

/** Renames a broken file to `<name>.broken-<timestamp>` beside it; returns the new path. */
export function setAsideBrokenFile(file: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${file}.broken-${stamp}`;
  for (let n = 2; fs.existsSync(target); n++) target = `${file}.broken-${stamp}-${n}`;
  fs.renameSync(file, target);
  return target;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The two things the page can ask for; links to these URLs are caught, never loaded. */
export const STARTUP_ACTIONS = { reset: 'app://pacer/__startup/reset', quit: 'app://pacer/__startup/quit' } as const;

/**
 * A static page: no script at all (JavaScript is off in its window and the CSP allows none), no
 * preload, nothing remote. Its two buttons are links main intercepts in will-navigate.
 */
export function startupErrorHtml(failure: StartupFailure, s: DesktopStrings['startup'], rtl: boolean): string {
  const csp = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";
  const p = (label: string, value: string) => `<p>${escapeHtml(label)}</p><p class="mono" dir="ltr">${escapeHtml(value)}</p>`;
  return `<!doctype html><html lang="${rtl ? 'he' : 'en'}" dir="${rtl ? 'rtl' : 'ltr'}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}"><title>${escapeHtml(s.title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#1d2129;background:#f6f7f9}h1{font-size:18px}
.mono{font-family:ui-monospace,monospace;background:#fff;border:1px solid #d0d4da;padding:8px;word-break:break-all;white-space:pre-wrap}
a{display:inline-block;margin:12px 8px 0 0;padding:8px 14px;border-radius:6px;text-decoration:none;border:1px solid #2f6fde;color:#2f6fde}
a.primary{background:#2f6fde;color:#fff}.note{color:#5b6270;font-size:12px}</style></head><body>
<h1>${escapeHtml(s.title)}</h1>
${p(s.reason, failure.message)}
${failure.logFile ? p(s.log, failure.logFile) : `<p>${escapeHtml(s.noLog)}</p>`}
${failure.brokenFile ? `${p(s.brokenFile, failure.brokenFile)}<p class="note">${escapeHtml(s.resetNote)}</p>` : ''}
<p>${failure.brokenFile ? `<a class="primary" id="reset" href="${STARTUP_ACTIONS.reset}">${escapeHtml(s.reset)}</a>` : ''}<a id="quit" href="${STARTUP_ACTIONS.quit}">${escapeHtml(s.quit)}</a></p>
</body></html>`;
}

/** Shows the page in a small locked-down window; `on` gets the button the user pressed. */
export function showStartupErrorWindow(html: string, title: string, on: (action: keyof typeof STARTUP_ACTIONS) => void): BrowserWindow {
  const win = new BrowserWindow({
    width: 560,
    height: 460,
    title,
    resizable: true,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webSecurity: true,
      devTools: false,
    },
  });
  win.webContents.on('will-navigate', (event, url) => {
    event.preventDefault();
    if (url === STARTUP_ACTIONS.reset) on('reset');
    else if (url === STARTUP_ACTIONS.quit) on('quit');
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.on('closed', () => on('quit'));
  void win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
  return win;
}
