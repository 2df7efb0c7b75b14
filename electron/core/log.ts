import fs from 'node:fs';
import path from 'node:path';
import { maskPhones } from './privacy/log-mask';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Every line passes through `redact`, which masks the current secret values wherever they appear
 * (a token pasted into an error message, a URL with ?access_token=…). Secrets never reach a log.
 */
export function createLogger(opts: { file?: string; level?: LogLevel; secrets: () => string[]; echo?: (line: string) => void }): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const min = order.indexOf(opts.level ?? 'info');
  if (opts.file) fs.mkdirSync(path.dirname(opts.file), { recursive: true });
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (order.indexOf(level) < min) return;
    const line = redact(maskPhones(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields })), opts.secrets());
    if (opts.file) fs.appendFileSync(opts.file, line + '\n', { mode: 0o600 });
    opts.echo?.(line);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export function redact(text: string, secrets: string[]): string {
  let out = text.replace(/(access_token=)[^&"\s]+/gi, '$1[redacted]').replace(/(Bearer\s+)[A-Za-z0-9._-]+/g, '$1[redacted]');
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  }
  return out;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
