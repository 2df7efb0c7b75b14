import { app, session, shell, type WebContents } from 'electron';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://pacer';

export const PRODUCTION_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Origins the app may open in the user's browser (help pages, Meta's business tools). */
const EXTERNAL_ALLOWLIST = new Set([
  'https://business.facebook.com',
  'https://developers.facebook.com',
  'https://www.facebook.com',
  'https://github.com',
]);

/** Parses with URL (never startsWith: "https://business.facebook.com.evil.example" must fail). */
export function isAllowedExternal(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' && EXTERNAL_ALLOWLIST.has(u.origin) && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** Node's URL gives custom schemes an opaque origin ("null"), so compare scheme and host. */
export function isOwnOrigin(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'pacer' && !u.username && !u.port;
  } catch {
    return false;
  }
}

/** Checklist items 5, 7, 13, 14, 15: permissions, CSP header, navigation, new windows, openExternal. */
export function applySessionSecurity(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [PRODUCTION_CSP] } });
  });

  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isOwnOrigin(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternal(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}
