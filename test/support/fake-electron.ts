/**
 * A stand-in for Electron's main-process modules, for vitest: electron/main's real code runs
 * against it (Electron's binary cannot run here). Each piece records what main did and lets a
 * test play the OS, the user or the core's utility process. `resetFakeElectron()` between tests.
 */
import { EventEmitter } from 'node:events';
import type { CoreToMain, MainToCore } from '../../electron/core/host/protocol';

type Listener = (...args: unknown[]) => void;

export interface Preventable {
  defaultPrevented: boolean;
  preventDefault(): void;
}
export const preventable = (): Preventable => {
  const e = {
    defaultPrevented: false,
    preventDefault() {
      e.defaultPrevented = true;
    },
  };
  return e;
};

// ---- utility process: a scripted core ------------------------------------------------------

export interface CoreScript {
  /** 'ready' (default), an init failure, or never answering. */
  init: 'ready' | { failed: string } | 'hang';
  /** Answer to a call; 'hang' never answers (as a core busy or dead would). */
  call(method: string, input: unknown): unknown;
  /** Whether shutdown is answered with 'closed' and an exit. */
  shutdown: 'close' | 'hang';
}

export class FakeChild extends EventEmitter {
  posted: MainToCore[] = [];
  killed = false;
  exited = false;
  constructor(readonly script: CoreScript) {
    super();
  }
  postMessage(m: MainToCore): void {
    if (this.exited) return; // Electron drops messages to a dead child, silently
    this.posted.push(m);
    queueMicrotask(() => this.handle(m));
  }
  private handle(m: MainToCore): void {
    if (this.exited) return;
    if (m.type === 'init') {
      const s = this.script.init;
      if (s === 'ready') this.reply({ type: 'ready' });
      else if (s !== 'hang') this.reply({ type: 'init-failed', message: s.failed });
    } else if (m.type === 'call') {
      const r = this.script.call(m.method, m.input);
      if (r !== 'hang') this.reply({ type: 'result', id: m.id, result: r });
    } else if (m.type === 'shutdown' && this.script.shutdown === 'close') {
      this.reply({ type: 'closed' });
      setTimeout(() => this.exit(0), 5);
    }
  }
  /** What the core sends main. */
  reply(m: CoreToMain): void {
    if (!this.exited) this.emit('message', m);
  }
  /** The process ends (a crash when nobody asked). */
  exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.emit('exit', code);
  }
  kill(): boolean {
    this.killed = true;
    setTimeout(() => this.exit(-9), 1);
    return true;
  }
}

export const defaultScript = (): CoreScript => ({
  init: 'ready',
  call: (method) => (method === 'campaigns:list' ? { ok: true, value: [] } : { ok: true, value: null }),
  shutdown: 'close',
});

export const fake = {
  script: defaultScript(),
  children: [] as FakeChild[],
  forks: [] as { modulePath: string }[],
};

export const utilityProcess = {
  fork(modulePath: string) {
    const child = new FakeChild(fake.script);
    fake.children.push(child);
    fake.forks.push({ modulePath });
    return child;
  },
};

// ---- app ------------------------------------------------------------------------------------

class FakeApp extends EventEmitter {
  name = 'Electron';
  isPackaged = false;
  paths: Record<string, string> = { appData: '/fake/appData', userData: '/fake/appData/Electron', logs: '/fake/logs' };
  gotLock = true;
  lockReleased = false;
  exitCode: number | null = null;
  relaunched = false;
  appUserModelId: string | null = null;
  private ready!: () => void;
  private readyPromise!: Promise<void>;
  constructor() {
    super();
    this.resetState();
  }
  resetState() {
    this.removeAllListeners();
    this.name = 'Electron';
    this.gotLock = true;
    this.lockReleased = false;
    this.exitCode = null;
    this.relaunched = false;
    this.appUserModelId = null;
    this.paths = { appData: '/fake/appData', userData: '/fake/appData/Electron', logs: '/fake/logs' };
    this.readyPromise = new Promise((r) => {
      this.ready = r;
    });
  }
  /** The test says when Electron is ready. */
  emitReady() {
    this.ready();
  }
  whenReady() {
    return this.readyPromise;
  }
  setName(n: string) {
    this.name = n;
  }
  getName() {
    return this.name;
  }
  getPath(n: string) {
    return this.paths[n] ?? `/fake/${n}`;
  }
  setPath(n: string, p: string) {
    this.paths[n] = p;
  }
  getVersion() {
    return '0.0.0-test';
  }
  setAppUserModelId(id: string) {
    this.appUserModelId = id;
  }
  requestSingleInstanceLock() {
    return this.gotLock;
  }
  releaseSingleInstanceLock() {
    this.lockReleased = true;
  }
  getPreferredSystemLanguages() {
    return ['en-US'];
  }
  relaunch() {
    this.relaunched = true;
  }
  exit(code = 0) {
    if (this.exitCode === null) this.exitCode = code;
  }
  /** As Electron: before-quit (preventable), then windows close and the app ends. */
  quit() {
    const e = preventable();
    this.emit('before-quit', e);
    if (!e.defaultPrevented && this.exitCode === null) this.exitCode = 0;
  }
}
export const app = new FakeApp();

// ---- windows --------------------------------------------------------------------------------

class FakeWebContents extends EventEmitter {
  sent: { channel: string; payload: unknown }[] = [];
  openHandler: ((d: { url: string }) => unknown) | null = null;
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  isDestroyed() {
    return false;
  }
  setWindowOpenHandler(h: (d: { url: string }) => unknown) {
    this.openHandler = h;
  }
  /** The page asks to go somewhere (a link click). Returns whether main refused it. */
  navigate(url: string): boolean {
    const e = preventable();
    this.emit('will-navigate', e, url);
    return e.defaultPrevented;
  }
}

export class BrowserWindow extends EventEmitter {
  static all: BrowserWindow[] = [];
  webContents = new FakeWebContents();
  url: string | null = null;
  visible = false;
  minimized = false;
  focused = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.all.push(this);
    if (options.show !== false) this.visible = true;
  }
  loadURL(url: string) {
    this.url = url;
    queueMicrotask(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  show() {
    this.visible = true;
    this.minimized = false;
  }
  hide() {
    this.visible = false;
  }
  focus() {
    this.focused = true;
  }
  restore() {
    this.minimized = false;
  }
  minimize() {
    this.minimized = true;
  }
  isMinimized() {
    return this.minimized;
  }
  isVisible() {
    return this.visible;
  }
  isDestroyed() {
    return this.destroyed;
  }
  /** The user closes it: 'close' (preventable), then 'closed'. Returns whether it closed. */
  close(): boolean {
    const e = preventable();
    this.emit('close', e);
    if (e.defaultPrevented) return false;
    this.destroyed = true;
    this.visible = false;
    this.emit('closed');
    return true;
  }
}

export const nativeTheme = { shouldUseDarkColors: false };

// ---- session, protocol, ipc -----------------------------------------------------------------

type PermissionRequestHandler = (wc: unknown, permission: string, cb: (ok: boolean) => void, details: Record<string, unknown>) => void;
type PermissionCheckHandler = (wc: unknown, permission: string, origin: string, details: Record<string, unknown>) => boolean;
const defaultSession = {
  permissionRequest: null as PermissionRequestHandler | null,
  permissionCheck: null as PermissionCheckHandler | null,
  setPermissionRequestHandler(h: PermissionRequestHandler) {
    defaultSession.permissionRequest = h;
  },
  setPermissionCheckHandler(h: PermissionCheckHandler) {
    defaultSession.permissionCheck = h;
  },
  webRequest: { onHeadersReceived() {} },
};
export const session = { defaultSession };

export const protocol = {
  privileged: [] as unknown[],
  handler: null as null | ((r: Request) => Promise<Response>),
  registerSchemesAsPrivileged(s: unknown[]) {
    protocol.privileged.push(...s);
  },
  handle(_scheme: string, h: (r: Request) => Promise<Response>) {
    protocol.handler = h;
  },
};

export const net = { fetch: (url: string) => Promise.resolve(new Response(`file ${url}`, { status: 200 })) };

export const ipcMain = {
  handlers: new Map<string, Listener>(),
  handle(name: string, h: Listener) {
    ipcMain.handlers.set(name, h);
  },
  on() {},
};

export const shell = { openExternal: () => Promise.resolve(), openPath: () => Promise.resolve('') };

// ---- menu, tray, notifications, dialogs, power ----------------------------------------------

export const Menu = {
  application: null as null | { template: unknown[] },
  buildFromTemplate(template: unknown[]) {
    return { template };
  },
  setApplicationMenu(m: { template: unknown[] } | null) {
    Menu.application = m;
  },
};

export class Tray extends EventEmitter {
  static throws = false;
  static all: Tray[] = [];
  tooltip = '';
  destroyed = false;
  constructor(readonly image: { template: boolean }) {
    super();
    if (Tray.throws) throw new Error('no tray');
    Tray.all.push(this);
  }
  setToolTip(t: string) {
    this.tooltip = t;
  }
  setContextMenu() {}
  destroy() {
    this.destroyed = true;
  }
}

export const nativeImage = {
  createFromPath: () => {
    const img = {
      template: false,
      setTemplateImage(v: boolean) {
        img.template = v;
      },
    };
    return img;
  },
};

export class Notification extends EventEmitter {
  static isSupported() {
    return false;
  }
  show() {}
}

export const dialog = {
  /** The button the user presses in the next message boxes. */
  response: 0,
  boxes: [] as { detail?: string; buttons?: string[] }[],
  errorBoxes: [] as { title: string; content: string }[],
  showMessageBox(...args: unknown[]) {
    const options = (args.length > 1 ? args[1] : args[0]) as { detail?: string; buttons?: string[] };
    dialog.boxes.push(options);
    return Promise.resolve({ response: dialog.response, checkboxChecked: false });
  },
  showErrorBox(title: string, content: string) {
    dialog.errorBoxes.push({ title, content });
  },
};

export const powerMonitor = new EventEmitter();

// ---- safeStorage ----------------------------------------------------------------------------

export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret' as string,
  encryptFails: false,
  /** Names of blobs whose decryption asks to re-encrypt (a rotated key). */
  rotate: false,
  isAsyncEncryptionAvailable: () => Promise.resolve(safeStorage.available),
  getSelectedStorageBackend: () => safeStorage.backend,
  encryptStringAsync(s: string) {
    if (safeStorage.encryptFails)
      return Promise.reject(new Error('Error while encrypting the text provided to safeStorage.encryptString.'));
    return Promise.resolve(Buffer.from(`enc2:${s}`));
  },
  decryptStringAsync(b: Buffer) {
    const text = b.toString();
    if (!text.startsWith('enc')) return Promise.reject(new Error('cannot decrypt'));
    return Promise.resolve({ result: text.replace(/^enc\d?:/, ''), shouldReEncrypt: safeStorage.rotate && text.startsWith('enc1:') });
  },
  // The deprecated synchronous API must no longer be used.
  isEncryptionAvailable: () => {
    throw new Error('sync safeStorage used');
  },
  encryptString: () => {
    throw new Error('sync safeStorage used');
  },
  decryptString: () => {
    throw new Error('sync safeStorage used');
  },
};

export function resetFakeElectron(): void {
  fake.script = defaultScript();
  fake.children = [];
  fake.forks = [];
  app.resetState();
  BrowserWindow.all = [];
  Tray.all = [];
  Tray.throws = false;
  Menu.application = null;
  dialog.response = 0;
  dialog.boxes = [];
  dialog.errorBoxes = [];
  powerMonitor.removeAllListeners();
  ipcMain.handlers.clear();
  protocol.handler = null;
  protocol.privileged = [];
  session.defaultSession.permissionRequest = null;
  session.defaultSession.permissionCheck = null;
  Object.assign(safeStorage, { available: true, backend: 'gnome_libsecret', encryptFails: false, rotate: false });
}

/** What `vi.mock('electron', …)` returns. */
export const electronModule = {
  app,
  BrowserWindow,
  nativeTheme,
  session,
  protocol,
  net,
  ipcMain,
  shell,
  Menu,
  Tray,
  nativeImage,
  Notification,
  dialog,
  powerMonitor,
  safeStorage,
  utilityProcess,
};

/** What `vi.mock('electron-store', …)` returns: electron-store is conf plus Electron's paths, so conf itself (real file handling, real errors on a damaged file) with an explicit cwd. */
export async function electronStoreModule() {
  const { default: Conf } = await import('conf');
  class Store<T extends Record<string, unknown>> extends Conf<T> {
    constructor(o: { cwd: string; name: string }) {
      super({ cwd: o.cwd, configName: o.name, projectName: 'pacer' });
    }
  }
  return { default: Store };
}
