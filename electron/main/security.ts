import { app, session, shell, type WebContents } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'pacer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

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
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.port;
  } catch {
    return false;
  }
}

/**
 * Checklist item 5: every permission is denied except writing sanitized text to the clipboard
 * (the Copy buttons: navigator.clipboard.writeText) — and that only for our own origin, in the
 * top-level frame. Reading the clipboard stays denied.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, isMainFrame: boolean): boolean {
  return permission === 'clipboard-sanitized-write' && isMainFrame && !!requestingUrl && isOwnOrigin(requestingUrl);
}

/** Checklist items 5, 7, 13, 14, 15: permissions, CSP header, navigation, new windows, openExternal. */
export function applySessionSecurity(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl, details.isMainFrame)),
  );
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, details.requestingUrl ?? requestingOrigin, details.isMainFrame),
  );
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
