import fs from 'node:fs';
import path from 'node:path';

/**
 * Main's own log, beside the core's (DATA_DIR/logs/pacer.log): startup failures, engine crashes,
 * keychain problems. Never secrets — main logs names and error messages only. Writing is best
 * effort: a log that cannot be written must not become a second failure.
 */
export class MainLog {
  readonly file: string;
  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'logs', 'main.log');
  }

  write(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): boolean {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.appendFileSync(this.file, JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }) + '\n', { mode: 0o600 });
      return true;
    } catch {
      return false;
    }
  }
}
