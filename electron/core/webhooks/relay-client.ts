import { sleep, type Clock } from '../clock';
import type { Logger } from '../log';
import type { Inbox } from './inbox';
import { parseEnvelope } from './payload';
import { checkSignature } from './signature';

/** One event as the relay hands it out: Meta's raw bytes (base64) and the signature header it came with. */
export interface RelayEvent {
  id: string;
  received_at: number;
  body: string;
  signature: string;
}

export interface RelayClientOptions {
  url: string;
  token: string;
  inbox: Inbox;
  clock: Clock;
  log: Logger;
  fetch: typeof fetch;
  appSecret: () => string | null;
  /** Seconds the relay may hold a pull open when it has nothing (long-poll). */
  waitSeconds?: number;
  max?: number;
}

export interface RelayClientStatus {
  running: boolean;
  connected: boolean;
  lastPullAt: number | null;
  lastError: string | null;
  pulled: number;
  rejected: number;
}

/**
 * Pulls events from a paired relay into the inbox: long-poll → verify each event's signature with
 * our own app secret (the relay is not trusted blindly) → commit to the inbox keyed by the relay's
 * event id → acknowledge. A lost acknowledgement means the relay offers the event again; the
 * inbox's unique source id makes that a no-op. Only acknowledged events are deleted on the relay.
 */
export class RelayClient {
  private abort = new AbortController();
  private loop: Promise<void> | null = null;
  readonly status: RelayClientStatus = { running: false, connected: false, lastPullAt: null, lastError: null, pulled: 0, rejected: 0 };

  constructor(private readonly o: RelayClientOptions) {}

  start(): void {
    if (this.loop) return;
    this.status.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error('stopped'));
    await this.loop;
    this.status.running = false;
    this.status.connected = false;
  }

  /** One pull-and-ack round; returns how many events were received (for tests and `drain`). */
  async pullOnce(signal?: AbortSignal, wait = this.o.waitSeconds ?? 25): Promise<number> {
    const base = this.o.url.replace(/\/$/, '');
    const res = await this.o.fetch(`${base}/v1/events?wait=${wait}&max=${this.o.max ?? 500}`, {
      headers: { authorization: `Bearer ${this.o.token}` },
      ...(signal ? { signal } : {}),
    });
    if (res.status === 401 || res.status === 403)
      throw new RelayAuthError(`the relay refused our token (HTTP ${res.status}); pair this installation again`);
    if (!res.ok) throw new Error(`relay answered HTTP ${res.status}`);
    const doc = (await res.json()) as { events?: RelayEvent[] };
    const events = Array.isArray(doc.events) ? doc.events : [];
    this.status.connected = true;
    this.status.lastPullAt = this.o.clock.now();
    this.status.lastError = null;
    if (!events.length) return 0;

    const secret = this.o.appSecret();
    if (!secret) throw new Error('the app secret is not set: relayed events cannot be verified (they stay on the relay)');
    const accepted: { body: Buffer; source: 'relay'; sourceId: string }[] = [];
    const ackIds: string[] = [];
    for (const ev of events) {
      const body = Buffer.from(ev.body, 'base64');
      let valid = checkSignature(body, ev.signature, secret) === 'ok';
      if (valid) {
        try {
          parseEnvelope(body);
        } catch {
          valid = false;
        }
      }
      if (valid) accepted.push({ body, source: 'relay', sourceId: `relay:${ev.id}` });
      else {
        this.status.rejected++;
        this.o.log.warn('relayed webhook refused (bad signature or envelope)', { relayEventId: ev.id });
      }
      ackIds.push(ev.id);
    }
    // Durable first, acknowledge second: a crash between the two only causes a harmless replay.
    if (accepted.length) this.o.inbox.appendNow(accepted);
    this.status.pulled += accepted.length;
    const ack = await this.o.fetch(`${base}/v1/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.o.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids: ackIds }),
      ...(signal ? { signal } : {}),
    });
    if (!ack.ok) throw new Error(`relay refused the acknowledgement (HTTP ${ack.status})`);
    return events.length;
  }

  private async run(): Promise<void> {
    let failures = 0;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        await this.pullOnce(signal);
        failures = 0;
      } catch (e) {
        if (signal.aborted) break;
        failures++;
        this.status.connected = false;
        this.status.lastError = e instanceof Error ? e.message : String(e);
        if (failures === 1 || failures % 20 === 0) this.o.log.warn('relay pull failed', { error: this.status.lastError, failures });
        const delay = e instanceof RelayAuthError ? 60_000 : Math.min(500 * 2 ** Math.min(failures, 6), 30_000);
        try {
          await sleep(this.o.clock, delay, signal);
        } catch {
          break;
        }
      }
    }
  }
}

export class RelayAuthError extends Error {}
