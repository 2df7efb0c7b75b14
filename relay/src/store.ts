import crypto from 'node:crypto';
import Database from 'better-sqlite3';

export interface StoredEvent {
  id: string;
  received_at: number;
  body: string;
  signature: string;
}

export interface Installation {
  id: string;
  name: string;
  created_at: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    received_at INTEGER NOT NULL,
    body        BLOB NOT NULL,
    signature   TEXT NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS installations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS deliveries (
    installation_id TEXT NOT NULL REFERENCES installations(id) ON DELETE CASCADE,
    event_seq       INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
    PRIMARY KEY (installation_id, event_seq)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS deliveries_event ON deliveries(event_seq);
`;

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/**
 * The relay's durable queue. Every event gets one delivery row per paired installation; an
 * installation's acknowledgement deletes its row, and an event is deleted once no installation
 * still needs it (events that arrive before any pairing wait for the first one).
 */
export class RelayStore {
  readonly db: Database.Database;
  private queue: { body: Buffer; signature: string; resolve: (id: string) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  private listeners = new Set<() => void>();

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // Every commit that precedes a 200 to Meta is fsynced: Meta will not send the event again.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  /** Group commit: requests that arrive while a commit runs share the next one. Resolves when durable. */
  append(body: Buffer, signature: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.queue.push({ body, signature, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    const now = Date.now();
    const insert = this.db.prepare('INSERT INTO events (id, received_at, body, signature) VALUES (?, ?, ?, ?)');
    const fanOut = this.db.prepare('INSERT INTO deliveries (installation_id, event_seq) SELECT id, ? FROM installations');
    let ids: string[];
    try {
      ids = this.db.transaction(() =>
        batch.map((b) => {
          const id = crypto.randomUUID();
          const seq = insert.run(id, now, b.body, b.signature).lastInsertRowid;
          fanOut.run(seq);
          return id;
        }),
      )();
    } catch (e) {
      batch.forEach((b) => b.reject(e));
      return;
    }
    batch.forEach((b, i) => b.resolve(ids[i]!));
    this.listeners.forEach((l) => l());
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Creates an installation and returns its token (shown once; only its hash is kept). */
  pair(name: string): { installation: Installation; token: string } {
    const token = `prl_${crypto.randomBytes(32).toString('base64url')}`;
    const installation: Installation = { id: crypto.randomUUID(), name, created_at: Date.now() };
    this.db.transaction(() => {
      const first = (this.db.prepare('SELECT count(*) AS n FROM installations').get() as { n: number }).n === 0;
      this.db
        .prepare('INSERT INTO installations (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)')
        .run(installation.id, name, hashToken(token), installation.created_at);
      // The first installation inherits what arrived before anyone was paired.
      if (first) this.db.prepare('INSERT INTO deliveries (installation_id, event_seq) SELECT ?, seq FROM events').run(installation.id);
    })();
    return { installation, token };
  }

  unpair(id: string): boolean {
    const changed = this.db.prepare('DELETE FROM installations WHERE id = ?').run(id).changes > 0;
    this.pruneOrphans();
    return changed;
  }

  installations(): (Installation & { pending: number })[] {
    return this.db
      .prepare(
        `SELECT i.id, i.name, i.created_at, (SELECT count(*) FROM deliveries d WHERE d.installation_id = i.id) AS pending
      FROM installations i ORDER BY created_at`,
      )
      .all() as (Installation & { pending: number })[];
  }

  /** The installation a bearer token belongs to (constant-time via hashing), or null. */
  authenticate(token: string | null): string | null {
    if (!token) return null;
    const r = this.db.prepare('SELECT id FROM installations WHERE token_hash = ?').get(hashToken(token)) as { id: string } | undefined;
    return r?.id ?? null;
  }

  /** Unacknowledged events for an installation, oldest first. Offered again until acknowledged. */
  pending(installationId: string, max: number): StoredEvent[] {
    const rows = this.db
      .prepare(
        `SELECT e.id, e.received_at, e.body, e.signature FROM deliveries d JOIN events e ON e.seq = d.event_seq
      WHERE d.installation_id = ? ORDER BY d.event_seq LIMIT ?`,
      )
      .all(installationId, max) as { id: string; received_at: number; body: Buffer; signature: string }[];
    return rows.map((r) => ({ id: r.id, received_at: r.received_at, body: r.body.toString('base64'), signature: r.signature }));
  }

  /** Deletes this installation's deliveries for these events; events nobody needs any more go too. */
  ack(installationId: string, ids: readonly string[]): number {
    const del = this.db.prepare('DELETE FROM deliveries WHERE installation_id = ? AND event_seq = (SELECT seq FROM events WHERE id = ?)');
    const drop = this.db.prepare(
      'DELETE FROM events WHERE id = ? AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = events.seq)',
    );
    return this.db.transaction(() =>
      ids.reduce((acc, id) => {
        const n = del.run(installationId, id).changes;
        if (n) drop.run(id);
        return acc + n;
      }, 0),
    )();
  }

  private pruneOrphans(): void {
    // Only when someone is paired: before that, events wait for the first installation.
    const paired = (this.db.prepare('SELECT count(*) AS n FROM installations').get() as { n: number }).n > 0;
    if (paired) this.db.prepare('DELETE FROM events WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = events.seq)').run();
  }

  counts(): { events: number; installations: number } {
    return {
      events: (this.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n,
      installations: (this.db.prepare('SELECT count(*) AS n FROM installations').get() as { n: number }).n,
    };
  }
}
