/**
 * The HTTP transport for Graph calls: undici's `request` on a keep-alive pool of its own.
 *
 * Why not the global fetch: at 1,000 sends/s fetch's WHATWG layers (Request/Response/Headers,
 * web streams) cost about three times the CPU of `request` for the same exchange (measured in
 * docs/benchmarks.md), and on a 2-core machine the sender shares those cores with the UI.
 *
 * Why a pool of its own, recycled after an idle spell: a POST on a kept-alive socket that the
 * server has just closed fails in a way that cannot prove the request was not received, so the
 * sender must mark it `uncertain` and never resend it. Servers close idle sockets after a few
 * seconds (Node 5 s, typical proxies more); undici closes its side first, but only if its timers
 * run — when the event loop was busy (a big synchronous transaction) the server's FIN may still
 * be unread when the next send takes the socket. So after IDLE_RECYCLE_MS without traffic the
 * next call starts on fresh connections.
 *
 * Bodies this transport does not stream itself (FormData uploads) go through the global fetch.
 */
import { Agent, request } from 'undici';

/** What GraphClient needs from a response. */
export interface GraphResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface GraphRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer> | FormData;
  signal?: AbortSignal;
  redirect?: 'error';
}

/** `fetch` fits this shape, so tests can inject a fake fetch. */
export type GraphFetch = (url: string, init: GraphRequestInit) => Promise<GraphResponse>;

/** Below Node's default server keep-alive (5 s), the shortest idle timeout we expect to meet. */
export const IDLE_RECYCLE_MS = 3_000;

export interface GraphTransportOptions {
  /** Wall clock for the idle check (the real one: it measures the event loop's own stalls). */
  now?: () => number;
  fallback?: typeof fetch;
  idleRecycleMs?: number;
  /**
   * Certificate authorities (PEM) to trust instead of Node's bundled list — already including the
   * bundled ones when extra CAs are added (see trust.ts). Undefined: Node's default.
   */
  ca?: string[];
}

export interface GraphTransport {
  fetch: GraphFetch;
  /** Pools opened so far (1 + recycles); for tests. */
  readonly pools: number;
  close(): Promise<void>;
}

export function createGraphTransport(opts: GraphTransportOptions = {}): GraphTransport {
  const now = opts.now ?? Date.now;
  const fallback = opts.fallback ?? globalThis.fetch.bind(globalThis);
  const idleMs = opts.idleRecycleMs ?? IDLE_RECYCLE_MS;
  const connect = opts.ca ? { timeout: 10_000, ca: opts.ca } : { timeout: 10_000 };
  const newAgent = () => new Agent({ keepAliveTimeout: idleMs, connect });
  let agent = newAgent();
  let pools = 1;
  let inflight = 0;
  let lastActivity = now();

  const poolFor = (): Agent => {
    if (inflight === 0 && now() - lastActivity > idleMs) {
      const old = agent;
      agent = newAgent();
      pools++;
      void old.close().catch(() => undefined);
    }
    return agent;
  };

  const graphFetch: GraphFetch = async (url, init) => {
    if (init.body instanceof FormData) return fallback(url, init as RequestInit);
    const dispatcher = poolFor();
    inflight++;
    try {
      const res = await request(url, {
        method: init.method as 'GET',
        headers: init.headers,
        body: init.body ?? null,
        signal: init.signal ?? null,
        dispatcher,
      });
      const text = await res.body.text();
      const headers = res.headers;
      return {
        ok: res.statusCode >= 200 && res.statusCode < 300,
        status: res.statusCode,
        headers: {
          get(name: string) {
            const v = headers[name.toLowerCase()];
            return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
          },
        },
        text: () => Promise.resolve(text),
      };
    } finally {
      inflight--;
      lastActivity = now();
    }
  };

  return {
    fetch: graphFetch,
    get pools() {
      return pools;
    },
    close: () => agent.close(),
  };
}
