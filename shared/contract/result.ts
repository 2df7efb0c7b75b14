/**
 * Errors travel as values: thrown errors lose their fields over Electron IPC, so every method
 * answers a Result and the renderer never has to parse an exception message.
 */
export const ERROR_CODES = [
  'bad_input', // the input failed validation; nothing changed
  'not_found',
  'conflict',
  'forbidden',
  'unavailable', // a dependency (network, Graph API, lock) is not there now
  'core_unavailable', // the desktop app's engine (utility process) stopped; main answers for it
  'cancelled',
  'store_key_missing', // pacer.db is encrypted and its key was not found (details: file, keyLocation)
  'store_key_wrong', // the key found does not open pacer.db (details: file, keyLocation)
  'internal',
] as const;
/** Every error a call can answer with; the renderer words each one (renderer/i18n/errorText.ts). */
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  ok: false;
  code: ErrorCode;
  message: string;
  /** Machine-readable detail (e.g. zod issues, the Graph error code). Plain JSON. */
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | ApiError;

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, details?: unknown): ApiError =>
  details === undefined ? { ok: false, code, message } : { ok: false, code, message, details };
