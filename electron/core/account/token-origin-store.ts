/** The origin the stored access token was entered for (app_meta `account.token_origin`; not a secret). */
import type { Db } from '../db/connection';

const KEY = 'account.token_origin';
const originOf = (url: string): string => new URL(url).origin;

export function boundOrigin(db: Db): string | null {
  return (db.prepare('SELECT value FROM app_meta WHERE key = ?').pluck().get(KEY) as string | undefined) ?? null;
}

/** The token just entered was stored for this URL. */
export function bindTokenOrigin(db: Db, graphUrl: string): void {
  db.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    KEY,
    originOf(graphUrl),
  );
}

export function forgetTokenOrigin(db: Db): void {
  db.prepare('DELETE FROM app_meta WHERE key = ?').run(KEY);
}
