/** The webhook settings rows (webhook_config: key → value). */
import type { Db } from '../db/connection';

export function configValue(db: Db, key: string): string | null {
  const r = db.prepare(`SELECT value FROM webhook_config WHERE key = ?`).get(key) as { value: string } | undefined;
  return r?.value ?? null;
}

/** null removes the key. */
export function setConfigValue(db: Db, key: string, value: string | null): void {
  if (value === null) db.prepare(`DELETE FROM webhook_config WHERE key = ?`).run(key);
  else
    db.prepare(`INSERT INTO webhook_config (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(
      key,
      value,
    );
}
