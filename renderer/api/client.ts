import type { Api, EventMap, EventName, InputOf, MethodName, OutputOf, PreloadBridge, Result } from '../../shared/contract';
import type { StagedFileInfo } from '../../shared/contract/app';

declare global {
  interface Window {
    pacer?: PreloadBridge;
  }
}

/** Electron: the preload's named functions. */
function ipcTransport(bridge: PreloadBridge): Api {
  return {
    call: <M extends MethodName>(method: M, input: InputOf<M>) =>
      (bridge.methods[method] as (i: InputOf<M>) => Promise<Result<OutputOf<M>>>)(input),
    on: <E extends EventName>(event: E, listener: (p: EventMap[E]) => void) =>
      (bridge.events[event] as (l: (p: EventMap[E]) => void) => () => void)(listener),
    uploadFile: (file: File) => bridge.uploadFile(file),
  };
}

/** Browser harness: the loopback bridge, authenticated with the per-run token from the URL fragment. */
function httpTransport(token: string): Api {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let source: EventSource | null = null;
  const ensureStream = () => {
    if (source) return;
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (m) => {
      const { event, payload } = JSON.parse(m.data as string) as { event: string; payload: unknown };
      listeners.get(event)?.forEach((l) => l(payload));
    };
  };
  const post = async <T>(url: string, body: BodyInit, contentType: string): Promise<Result<T>> => {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, 'x-pacer-token': token }, body });
      return (await res.json()) as Result<T>;
    } catch (e) {
      return { ok: false, code: 'unavailable', message: e instanceof Error ? e.message : 'Pacer is not reachable' };
    }
  };
  return {
    call: <M extends MethodName>(method: M, input: InputOf<M>) =>
      post<OutputOf<M>>(`/api/call/${method}`, JSON.stringify(input ?? {}), 'application/json'),
    on: <E extends EventName>(event: E, listener: (p: EventMap[E]) => void) => {
      ensureStream();
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
    uploadFile: (file: File) => post<StagedFileInfo>(`/api/upload?name=${encodeURIComponent(file.name)}`, file, 'application/octet-stream'),
  };
}

function harnessToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    sessionStorage.setItem('pacer.token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem('pacer.token');
}

/** One client type; the renderer cannot tell which transport it runs on. */
export function createApi(): Api {
  if (window.pacer) return ipcTransport(window.pacer);
  const token = harnessToken();
  if (!token) throw new Error('Open Pacer with the address printed by `pacer serve` (it carries the access token).');
  return httpTransport(token);
}

let current: Api | null = null;

/** Chooses the transport once at bootstrap; throws with a user-facing message when it cannot. */
export function connectApi(): Api {
  current ??= createApi();
  return current;
}

const need = (): Api => {
  if (!current) throw new Error('API not connected');
  return current;
};

/** The client every store action uses. Delegates to the transport chosen by connectApi(). */
export const api: Api = {
  call: (method, input) => need().call(method, input),
  on: (event, listener) => need().on(event, listener),
  uploadFile: (file) => need().uploadFile(file),
};

/** Unwraps a Result for code that shows errors through the store. */
export async function unwrap<T>(p: Promise<Result<T>>): Promise<T> {
  const r = await p;
  if (r.ok) return r.value;
  throw Object.assign(new Error(r.message), { code: r.code, details: r.details });
}
