import type { Db } from '../db/connection';
import type {
  AccountHistory,
  GraphErrorDetails,
  MessagingLimit,
  PhoneNumberInfo,
  PhoneStatus,
  QualityRating,
  ThroughputLevel,
  TokenState,
} from '../../../shared/contract/whatsapp';

export interface ConnectionRow {
  mode: 'live' | 'sandbox';
  graph_url: string;
  api_version: string;
  waba_id: string;
  phone_number_id: string;
  verify_token: string | null;
  connected_at: number;
  token_state: Exclude<TokenState, 'missing'>;
  token_error_code: number | null;
  token_error_message: string | null;
  token_checked_at: number | null;
  last_refresh_at: number | null;
  last_template_sync_at: number | null;
  last_error: string | null;
}

export interface WabaRow {
  id: string;
  name: string | null;
  currency: string | null;
  timezone_id: string | null;
  business_id: string | null;
  messaging_limit: MessagingLimit;
  updated_at: number;
}

export interface NumberRow {
  id: string;
  waba_id: string;
  display_phone_number: string;
  verified_name: string;
  quality_rating: QualityRating;
  messaging_limit: MessagingLimit;
  throughput: ThroughputLevel;
  status: PhoneStatus;
  name_status: string | null;
  account_mode: string | null;
  updated_at: number;
}

const DAY = 86_400_000;

/** SQL for the account domain (connection row, WABAs, numbers, health history). */
export class AccountStore {
  constructor(private readonly db: Db) {}

  connection(): ConnectionRow | null {
    return (this.db.prepare('SELECT * FROM wa_connection WHERE id = 1').get() as ConnectionRow | undefined) ?? null;
  }

  saveConnection(
    c: Pick<ConnectionRow, 'mode' | 'graph_url' | 'api_version' | 'waba_id' | 'phone_number_id' | 'verify_token' | 'connected_at'> & {
      token_checked_at: number;
    },
  ): void {
    this.db
      .prepare(
        `INSERT INTO wa_connection (id, mode, graph_url, api_version, waba_id, phone_number_id, verify_token, connected_at, token_state, token_checked_at)
      VALUES (1, @mode, @graph_url, @api_version, @waba_id, @phone_number_id, @verify_token, @connected_at, 'valid', @token_checked_at)
      ON CONFLICT (id) DO UPDATE SET mode = excluded.mode, graph_url = excluded.graph_url, api_version = excluded.api_version,
        waba_id = excluded.waba_id, phone_number_id = excluded.phone_number_id, verify_token = excluded.verify_token,
        connected_at = excluded.connected_at, token_state = 'valid', token_error_code = NULL, token_error_message = NULL,
        token_checked_at = excluded.token_checked_at, last_error = NULL`,
      )
      .run(c);
  }

  deleteConnection(): void {
    this.db.prepare('DELETE FROM wa_connection WHERE id = 1').run();
  }

  setGraphUrl(url: string): void {
    this.db.prepare('UPDATE wa_connection SET graph_url = ? WHERE id = 1').run(url);
  }

  /** Returns true when the stored state changed. */
  setTokenState(state: 'valid' | 'expired' | 'invalid', at: number, code: number | null, message: string | null): boolean {
    const r = this.db
      .prepare(
        `UPDATE wa_connection SET token_state = ?, token_error_code = ?, token_error_message = ?, token_checked_at = ?
      WHERE id = 1 AND (token_state IS NOT ? OR token_error_code IS NOT ?)`,
      )
      .run(state, code, message, at, state, code);
    if (r.changes === 0) this.db.prepare('UPDATE wa_connection SET token_checked_at = ? WHERE id = 1').run(at);
    return r.changes > 0;
  }

  markRefreshed(at: number): void {
    this.db.prepare('UPDATE wa_connection SET last_refresh_at = ?, last_error = NULL WHERE id = 1').run(at);
  }

  markTemplatesSynced(at: number): void {
    this.db.prepare('UPDATE wa_connection SET last_template_sync_at = ?, last_error = NULL WHERE id = 1').run(at);
  }

  setLastError(err: GraphErrorDetails | null): void {
    this.db.prepare('UPDATE wa_connection SET last_error = ? WHERE id = 1').run(err ? JSON.stringify(err) : null);
  }

  wabas(): WabaRow[] {
    return this.db.prepare('SELECT * FROM wa_wabas ORDER BY id').all() as WabaRow[];
  }

  upsertWaba(w: WabaRow): void {
    this.db
      .prepare(
        `INSERT INTO wa_wabas (id, name, currency, timezone_id, business_id, messaging_limit, updated_at)
      VALUES (@id, @name, @currency, @timezone_id, @business_id, @messaging_limit, @updated_at)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, currency = excluded.currency, timezone_id = excluded.timezone_id,
        business_id = COALESCE(excluded.business_id, wa_wabas.business_id), messaging_limit = excluded.messaging_limit, updated_at = excluded.updated_at`,
      )
      .run(w);
  }

  /** Forgets WABAs (and their numbers) not in `keep` — after a disconnect/reconnect to another portfolio. */
  pruneWabas(keep: readonly string[]): void {
    const rows = this.wabas().filter((w) => !keep.includes(w.id));
    for (const w of rows) this.db.prepare('DELETE FROM wa_wabas WHERE id = ?').run(w.id);
  }

  numbers(): NumberRow[] {
    return this.db.prepare('SELECT * FROM wa_phone_numbers ORDER BY waba_id, display_phone_number').all() as NumberRow[];
  }

  number(id: string): NumberRow | null {
    return (this.db.prepare('SELECT * FROM wa_phone_numbers WHERE id = ?').get(id) as NumberRow | undefined) ?? null;
  }

  /** Replaces the numbers of one WABA with what the API returned; snapshots what changed. */
  replaceNumbers(wabaId: string, rows: NumberRow[], at: number): void {
    const keep = new Set(rows.map((r) => r.id));
    for (const old of this.db.prepare('SELECT id FROM wa_phone_numbers WHERE waba_id = ?').all(wabaId) as { id: string }[]) {
      if (!keep.has(old.id)) this.db.prepare('DELETE FROM wa_phone_numbers WHERE id = ?').run(old.id);
    }
    for (const r of rows) this.upsertNumber(r, at);
  }

  upsertNumber(r: NumberRow, at: number): void {
    this.db
      .prepare(
        `INSERT INTO wa_phone_numbers (id, waba_id, display_phone_number, verified_name, quality_rating, messaging_limit, throughput, status, name_status, account_mode, updated_at)
      VALUES (@id, @waba_id, @display_phone_number, @verified_name, @quality_rating, @messaging_limit, @throughput, @status, @name_status, @account_mode, @updated_at)
      ON CONFLICT (id) DO UPDATE SET waba_id = excluded.waba_id, display_phone_number = excluded.display_phone_number,
        verified_name = excluded.verified_name, quality_rating = excluded.quality_rating, messaging_limit = excluded.messaging_limit,
        throughput = excluded.throughput, status = excluded.status, name_status = excluded.name_status,
        account_mode = excluded.account_mode, updated_at = excluded.updated_at`,
      )
      .run(r);
    this.snapshot(r, at);
  }

  /** Writes a health point when something changed since the last one, or the last one is a day old. */
  private snapshot(r: NumberRow, at: number): void {
    const last = this.db
      .prepare('SELECT * FROM wa_number_snapshots WHERE phone_number_id = ? ORDER BY at DESC, id DESC LIMIT 1')
      .get(r.id) as { at: number; quality_rating: string; messaging_limit: string; throughput: string; status: string } | undefined;
    const same =
      last &&
      last.quality_rating === r.quality_rating &&
      last.messaging_limit === r.messaging_limit &&
      last.throughput === r.throughput &&
      last.status === r.status;
    if (same && at - last.at < DAY) return;
    this.db
      .prepare(
        'INSERT INTO wa_number_snapshots (phone_number_id, at, quality_rating, messaging_limit, throughput, status) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(r.id, at, r.quality_rating, r.messaging_limit, r.throughput, r.status);
  }

  recordPortfolioLimit(limit: MessagingLimit, at: number, source: 'refresh' | 'webhook'): void {
    const last = this.db.prepare('SELECT messaging_limit, at FROM wa_portfolio_limits ORDER BY at DESC, id DESC LIMIT 1').get() as
      { messaging_limit: string; at: number } | undefined;
    if (last && last.messaging_limit === limit && at - last.at < DAY) return;
    // A webhook's time has whole seconds: one from the same second as the last record (a refresh at
    // connect) is not older than it — it arrived after, so it is the news.
    if (last && source === 'webhook' && at <= last.at && last.at - at < 1000) at = last.at + 1;
    this.db.prepare('INSERT INTO wa_portfolio_limits (at, messaging_limit, source) VALUES (?, ?, ?)').run(at, limit, source);
  }

  /** The newest portfolio limit a webhook or refresh recorded. */
  latestPortfolioLimit(): { limit: MessagingLimit; at: number; source: 'refresh' | 'webhook' } | null {
    const r = this.db
      .prepare('SELECT messaging_limit AS "limit", at, source FROM wa_portfolio_limits ORDER BY at DESC, id DESC LIMIT 1')
      .get() as { limit: MessagingLimit; at: number; source: 'refresh' | 'webhook' } | undefined;
    return r ?? null;
  }

  history(since: number, phoneNumberId?: string): AccountHistory {
    const numbers = (
      phoneNumberId
        ? this.db
            .prepare('SELECT * FROM wa_number_snapshots WHERE at >= ? AND phone_number_id = ? ORDER BY at, id')
            .all(since, phoneNumberId)
        : this.db.prepare('SELECT * FROM wa_number_snapshots WHERE at >= ? ORDER BY at, id').all(since)
    ) as {
      phone_number_id: string;
      at: number;
      quality_rating: QualityRating;
      messaging_limit: MessagingLimit;
      throughput: ThroughputLevel;
      status: PhoneStatus;
    }[];
    const portfolio = this.db
      .prepare('SELECT at, messaging_limit, source FROM wa_portfolio_limits WHERE at >= ? ORDER BY at, id')
      .all(since) as { at: number; messaging_limit: MessagingLimit; source: 'refresh' | 'webhook' }[];
    return {
      numbers: numbers.map((n) => ({
        at: n.at,
        phoneNumberId: n.phone_number_id,
        qualityRating: n.quality_rating,
        messagingLimit: n.messaging_limit,
        throughput: n.throughput,
        status: n.status,
      })),
      portfolio: portfolio.map((p) => ({ at: p.at, messagingLimit: p.messaging_limit, source: p.source })),
    };
  }

  /** A restriction Meta reported (a ban, error 368/131031) that blocks sending until reinstated; null when none. */
  restriction(): AccountRestriction | null {
    const row = this.db.prepare("SELECT value FROM app_meta WHERE key = 'wa.restricted'").get() as { value: string } | undefined;
    if (!row) return null;
    try {
      return JSON.parse(row.value) as AccountRestriction;
    } catch {
      return null;
    }
  }

  setRestriction(r: AccountRestriction | null): void {
    if (r)
      this.db
        .prepare("INSERT INTO app_meta (key, value) VALUES ('wa.restricted', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .run(JSON.stringify(r));
    else this.db.prepare("DELETE FROM app_meta WHERE key = 'wa.restricted'").run();
  }

  templateCounts(): Map<string, number> {
    const rows = this.db.prepare("SELECT waba_id, count(*) AS n FROM wa_templates WHERE status <> 'DELETED' GROUP BY waba_id").all() as {
      waba_id: string;
      n: number;
    }[];
    return new Map(rows.map((r) => [r.waba_id, r.n]));
  }
}

/** Why sending is restricted and since when (kept in app_meta 'wa.restricted'). */
export interface AccountRestriction {
  event: string;
  at: number;
}

export function numberInfo(r: NumberRow, primaryId: string | null): PhoneNumberInfo {
  return {
    id: r.id,
    wabaId: r.waba_id,
    displayPhoneNumber: r.display_phone_number,
    verifiedName: r.verified_name,
    qualityRating: r.quality_rating,
    messagingLimit: r.messaging_limit,
    throughput: r.throughput,
    status: r.status,
    nameStatus: r.name_status,
    accountMode: r.account_mode,
    primary: r.id === primaryId,
    updatedAt: r.updated_at,
  };
}
