import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../db/connection';
import { AccountStore } from '../account/store';
import type { ValueErrorEvent } from './events';
import { IGNORE_REASONS, type AccountScope, type Ignored, type IgnoreReason } from './scope';

export interface IgnoredSummary {
  counts: Record<IgnoreReason, number>;
  last: { reason: IgnoreReason; id: string; at: number } | null;
}

export interface ValueErrorSummary {
  count: number;
  last: { code: number; title: string | null; message: string | null; field: string; at: number } | null;
}

const VALUE_ERROR_ACTION = 'webhook.value_error';

/**
 * SQL for what the webhook domain keeps beside the handlers' work: the connection's ids (read from
 * the account's tables), the counts of events ignored as another account's (webhook_config keys,
 * so no migration), and value-level errors (one audit_log row per error).
 */
export class ScopeStore {
  private accountTables: boolean | null = null;
  private ignoreStmts: { bump: Statement; last: Statement; seen: Statement } | null = null;
  /** Foreign ids already recorded as seen: spares the write for every later event of theirs. */
  private readonly seen = new Set<string>();

  constructor(private readonly db: Db) {}

  /** A webhook-only database (unit tests, the benchmark's) has no account tables: nothing to scope against. */
  hasAccountTables(): boolean {
    this.accountTables ??=
      this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'wa_connection'").get() !== undefined;
    return this.accountTables;
  }

  /** The connected account's WABA and the numbers known in it; null when none is connected. */
  accountScope(): AccountScope | null {
    const store = new AccountStore(this.db);
    const conn = store.connection();
    if (!conn) return null;
    const numbers = new Set(
      store
        .numbers()
        .filter((n) => n.waba_id === conn.waba_id)
        .map((n) => n.id),
    );
    numbers.add(conn.phone_number_id);
    return { wabaId: conn.waba_id, defaultNumberId: conn.phone_number_id, numbers };
  }

  /** Counts one ignored event. Answers true the first time this reason and id are seen (ever). */
  noteIgnored(i: Ignored, at: number): boolean {
    // Prepared once: an app subscribed to many WABAs may see mostly others' events.
    const s = (this.ignoreStmts ??= {
      bump: this.db.prepare(`INSERT INTO webhook_config (key, value) VALUES (?, '1')
        ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`),
      last: this.db.prepare(
        `INSERT INTO webhook_config (key, value) VALUES ('ignored.last', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      ),
      seen: this.db.prepare(`INSERT OR IGNORE INTO webhook_config (key, value) VALUES (?, ?)`),
    });
    s.bump.run(`ignored.count.${i.reason}`);
    s.last.run(JSON.stringify({ reason: i.reason, id: i.id, at }));
    const key = `ignored.seen.${i.reason}:${i.id}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return s.seen.run(key, String(at)).changes > 0;
  }

  ignoredSummary(): IgnoredSummary {
    const counts = Object.fromEntries(IGNORE_REASONS.map((r) => [r, 0])) as Record<IgnoreReason, number>;
    const rows = this.db
      .prepare(`SELECT key, value FROM webhook_config WHERE key LIKE 'ignored.count.%' OR key = 'ignored.last'`)
      .all() as { key: string; value: string }[];
    let last: IgnoredSummary['last'] = null;
    for (const r of rows) {
      if (r.key === 'ignored.last') {
        try {
          last = JSON.parse(r.value) as IgnoredSummary['last'];
        } catch {
          last = null;
        }
        continue;
      }
      const reason = r.key.slice('ignored.count.'.length) as IgnoreReason;
      if (reason in counts) counts[reason] = Number(r.value) || 0;
    }
    return { counts, last };
  }

  /** One audit_log row per error of the event (the event's key makes a repeat recognisable). */
  recordValueErrors(ev: ValueErrorEvent, at: number): void {
    const insert = this.db.prepare(`INSERT INTO audit_log (at, actor, action, detail) VALUES (?, 'webhook', '${VALUE_ERROR_ACTION}', ?)`);
    for (const e of ev.errors) {
      insert.run(
        at,
        JSON.stringify({
          field: ev.field,
          waba_id: ev.wabaId,
          phone_number_id: ev.phoneNumberId,
          code: e.code,
          title: e.title,
          message: e.message,
          details: e.details,
          href: e.href,
          event_key: ev.key,
        }),
      );
    }
  }

  valueErrorSummary(): ValueErrorSummary {
    const count = this.db.prepare(`SELECT count(*) FROM audit_log WHERE action = '${VALUE_ERROR_ACTION}'`).pluck().get() as number;
    const row = this.db
      .prepare(`SELECT at, detail FROM audit_log WHERE action = '${VALUE_ERROR_ACTION}' ORDER BY id DESC LIMIT 1`)
      .get() as { at: number; detail: string } | undefined;
    if (!row) return { count, last: null };
    const d = JSON.parse(row.detail) as { code: number; title: string | null; message: string | null; field: string };
    return { count, last: { code: d.code, title: d.title, message: d.message, field: d.field, at: row.at } };
  }
}
