import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDataDir } from '../../support/harness';

vi.mock('electron', async () => (await import('../../support/fake-electron')).electronModule);
vi.mock('electron-store', async () => (await import('../../support/fake-electron')).electronStoreModule());
const fe = await import('../../support/fake-electron');
const { applySessionSecurity, isPermissionAllowed } = await import('../../../electron/main/security');
const { rendererHandler } = await import('../../../electron/main/protocol');
const { appMenuTemplate } = await import('../../../electron/main/app-menu');
const { desktopStrings, storeKeyMessage } = await import('../../../electron/main/desktop-strings');
const { SafeStorageVault } = await import('../../../electron/main/vault');
const { trayIsDependable } = await import('../../../electron/main/desktop');
const { setAsideBrokenFile } = await import('../../../electron/main/startup-error');

beforeEach(() => fe.resetFakeElectron());

describe('permissions', () => {
  it('allows only sanitized clipboard writes, only for our top-level page', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://pacer/index.html', true)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://pacer/index.html', false)).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', true)).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined, true)).toBe(false);
    expect(isPermissionAllowed('clipboard-read', 'app://pacer/index.html', true)).toBe(false);
    expect(isPermissionAllowed('media', 'app://pacer/index.html', true)).toBe(false);
    expect(isPermissionAllowed('notifications', 'app://pacer/index.html', true)).toBe(false);
  });

  it('the session handlers use that rule (request and check)', () => {
    applySessionSecurity();
    const ses = fe.session.defaultSession;
    const ask = (permission: string, url: string, isMainFrame = true) => {
      let answer: boolean | null = null;
      ses.permissionRequest!(
        {},
        permission,
        (ok) => {
          answer = ok;
        },
        { requestingUrl: url, isMainFrame },
      );
      return answer;
    };
    expect(ask('clipboard-sanitized-write', 'app://pacer/index.html')).toBe(true);
    expect(ask('clipboard-sanitized-write', 'app://pacer.evil/index.html')).toBe(false);
    expect(ask('geolocation', 'app://pacer/index.html')).toBe(false);
    expect(ses.permissionCheck!({}, 'clipboard-sanitized-write', 'app://pacer', { isMainFrame: true })).toBe(true);
    expect(ses.permissionCheck!({}, 'clipboard-sanitized-write', 'app://pacer', { isMainFrame: false })).toBe(false);
    expect(ses.permissionCheck!({}, 'clipboard-read', 'app://pacer', { isMainFrame: true })).toBe(false);
  });
});

describe('app:// protocol', () => {
  const root = tempDataDir('pacer-renderer-');
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(root, 'app.js'), '1');
  const seen: string[] = [];
  const handler = rendererHandler(root, (u) => {
    seen.push(u);
    return Promise.resolve(new Response('x', { status: 200 }));
  });

  it('serves our host with the CSP header', async () => {
    const res = await handler(new Request('app://pacer/app.js'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(seen.at(-1)).toMatch(/app\.js$/);
  });

  it('a malformed % escape is a 400, not a thrown error', async () => {
    expect((await handler(new Request('app://pacer/%E0%A4%A'))).status).toBe(400);
    expect((await handler(new Request('app://pacer/%'))).status).toBe(400);
  });

  it('any other host is a 404', async () => {
    expect((await handler(new Request('app://evil/index.html'))).status).toBe(404);
    expect((await handler(new Request('app://pacer.evil/index.html'))).status).toBe(404);
  });

  it('paths outside the renderer folder are refused', async () => {
    expect((await handler(new Request('app://pacer/..%2f..%2fetc%2fpasswd'))).status).toBe(403);
  });
});

describe('application menu', () => {
  const labels = (items: { label?: string; role?: string; submenu?: unknown }[]): unknown =>
    items.map((i) => (i.submenu ? { [i.label!]: labels(i.submenu as typeof items) } : (i.label ?? i.role ?? '-')));

  it('is translated (Hebrew, Traditional Chinese) and keeps the standard roles', () => {
    const he = appMenuTemplate(desktopStrings({ language: 'he' }, []), 'win32', true);
    expect(he.map((m) => m.label)).toEqual(['קובץ', 'עריכה', 'תצוגה', 'חלון']);
    const edit = he[1]!.submenu as { role?: string; label?: string }[];
    expect(edit.find((i) => i.role === 'copy')?.label).toBe('העתקה');
    const zh = appMenuTemplate(desktopStrings({ language: 'zh-TW' }, []), 'win32', true);
    expect((zh[1]!.submenu as { role?: string; label?: string }[]).find((i) => i.role === 'paste')?.label).toBe('貼上');
  });

  it('no developer tools when packaged; macOS gets the app menu first', () => {
    const s = desktopStrings({ language: 'en' }, []);
    expect(JSON.stringify(labels(appMenuTemplate(s, 'linux', true) as never))).not.toContain('Developer Tools');
    expect(JSON.stringify(labels(appMenuTemplate(s, 'linux', false) as never))).toContain('Developer Tools');
    const mac = appMenuTemplate(s, 'darwin', true);
    expect(mac[0]!.label).toBe('Pacer');
    expect((mac[0]!.submenu as { role?: string }[]).map((i) => i.role)).toContain('quit');
  });

  it('every language has every desktop string (no English on a Hebrew or Chinese screen)', () => {
    const en = desktopStrings({ language: 'en' }, []);
    for (const lang of ['he', 'zh-TW'] as const) {
      const other = desktopStrings({ language: lang }, []);
      for (const group of ['menu', 'startup'] as const) {
        for (const [key, value] of Object.entries(en[group])) {
          const translated = (other[group] as Record<string, string>)[key];
          expect(translated, `${lang}.${group}.${key}`).toBeTruthy();
          if (!/Pacer/.test(String(value))) expect(translated, `${lang}.${group}.${key}`).not.toBe(value);
        }
      }
    }
  });
});

describe('a store that cannot be opened (encryption at rest)', () => {
  it('says which file and where the key was looked for, in the app language, with no English inside he/zh-TW', () => {
    const details = { file: '/data/pacer.db', keyLocation: { kind: 'keychain' } };
    const en = storeKeyMessage({ code: 'store_key_missing', details }, desktopStrings({ language: 'en' }, []))!;
    expect(en).toContain('/data/pacer.db');
    expect(en).toContain('system keychain');
    for (const lang of ['he', 'zh-TW'] as const) {
      const s = desktopStrings({ language: lang }, []);
      const missing = storeKeyMessage({ code: 'store_key_missing', details }, s)!;
      const wrong = storeKeyMessage(
        { code: 'store_key_wrong', details: { file: '/data/pacer.db', keyLocation: { kind: 'key_file', path: '/k/x.key' } } },
        s,
      )!;
      expect(missing).toContain('/data/pacer.db');
      expect(wrong).toContain('/k/x.key');
      // Only the path, the product name and the file/variable names are Latin.
      for (const m of [missing, wrong]) expect(m.replace(/\/[\w./-]+|Pacer|secrets\.json|PACER_DB_KEY/g, '')).not.toMatch(/[A-Za-z]{3,}/);
    }
    expect(storeKeyMessage({ code: 'internal', details }, desktopStrings({ language: 'en' }, []))).toBeNull();
  });
});

describe('tray', () => {
  it('is dependable on Windows, macOS and KDE; not on GNOME or an unknown Linux desktop', () => {
    expect(trayIsDependable('win32', {})).toBe(true);
    expect(trayIsDependable('darwin', {})).toBe(true);
    expect(trayIsDependable('linux', { XDG_CURRENT_DESKTOP: 'KDE' })).toBe(true);
    expect(trayIsDependable('linux', { XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' })).toBe(false);
    expect(trayIsDependable('linux', {})).toBe(false);
  });
});

describe('SafeStorageVault (async safeStorage)', () => {
  it('tells "unavailable" apart from basic_text, and a keychain that works', async () => {
    const vault = new SafeStorageVault(tempDataDir(), 'linux');
    expect(await vault.info()).toEqual({ backend: 'safe-storage', secure: true, warning: null });
    fe.safeStorage.backend = 'basic_text';
    expect(await vault.info()).toEqual({ backend: 'safe-storage', secure: false, warning: 'basic_text' });
    fe.safeStorage.available = false;
    expect(await vault.info()).toEqual({ backend: 'safe-storage', secure: false, warning: 'unavailable' });
  });

  it('saves, reads back and reports a save it could not do (unavailable / encryption failed)', async () => {
    const dir = tempDataDir();
    const vault = new SafeStorageVault(dir, 'win32');
    expect(await vault.write('access_token', 'EAAone')).toEqual({ ok: true });
    expect(await new SafeStorageVault(dir, 'win32').readAll()).toEqual({ access_token: 'EAAone' });

    fe.safeStorage.encryptFails = true;
    expect(await vault.write('access_token', 'EAAtwo')).toMatchObject({ ok: false, cause: 'failed' });
    fe.safeStorage.encryptFails = false;
    fe.safeStorage.available = false;
    expect(await vault.write('access_token', 'EAAthree')).toMatchObject({ ok: false, cause: 'unavailable' });
    // The stored value and the one a restarted core gets are still the last saved one.
    expect(vault.current()).toEqual({ access_token: 'EAAone' });
    fe.safeStorage.available = true;
    expect(await new SafeStorageVault(dir, 'win32').readAll()).toEqual({ access_token: 'EAAone' });
    expect(await vault.write('access_token', null)).toEqual({ ok: true });
    expect(await new SafeStorageVault(dir, 'win32').readAll()).toEqual({});
  });

  it('re-encrypts what decryptStringAsync says should be (a rotated key); unreadable blobs count as not set', async () => {
    const dir = tempDataDir();
    fs.writeFileSync(
      path.join(dir, 'secrets.json'),
      JSON.stringify({
        access_token: Buffer.from('enc1:EAAold').toString('base64'),
        app_secret: Buffer.from('garbage').toString('base64'),
      }),
    );
    fe.safeStorage.rotate = true;
    const problems: string[] = [];
    const values = await new SafeStorageVault(dir, 'darwin').readAll((what, name) => problems.push(`${what}:${name}`));
    expect(values).toEqual({ access_token: 'EAAold' });
    expect(problems).toEqual(['decrypt:app_secret']);
    const stored = JSON.parse(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8')) as Record<string, string>;
    expect(Buffer.from(stored.access_token!, 'base64').toString()).toBe('enc2:EAAold');
  });
});

describe('setting a damaged file aside', () => {
  it('renames it beside itself with a timestamp, never overwriting an earlier backup', () => {
    const dir = tempDataDir();
    const file = path.join(dir, 'settings.json');
    const at = new Date('2026-03-01T10:00:00.000Z');
    fs.writeFileSync(file, 'a');
    const first = setAsideBrokenFile(file, at);
    fs.writeFileSync(file, 'b');
    const second = setAsideBrokenFile(file, at);
    expect(path.basename(first)).toBe('settings.json.broken-2026-03-01T10-00-00-000Z');
    expect(second).not.toBe(first);
    expect(fs.readFileSync(first, 'utf8')).toBe('a');
    expect(fs.readFileSync(second, 'utf8')).toBe('b');
    expect(fs.existsSync(file)).toBe(false);
  });
});
