/**
 * Plain-language help for a failure: the classification decides the recommended action; a few
 * common codes get their own explanation. Keys live in the `campaigns` namespace under `errors.*`.
 */
export const ERROR_CLASSES = [
  'retry_soon',
  'retry_after_24h',
  'terminal_recipient',
  'suppress_contact',
  'halt_campaign',
  'halt_account',
  'fix_payload',
] as const;
export type ErrorClassName = (typeof ERROR_CLASSES)[number];

/** Codes with their own explanation text (errors.code.N.what). */
export const EXPLAINED_CODES = new Set([
  131026, 131049, 131050, 130472, 131047, 131056, 130429, 132001, 132015, 132016, 131008, 132000, 132007, 131052, 131053, 190, 131048,
  131031, 368, 130497, 131000, 100,
]);

export function errorHelpKeys(
  code: number | null,
  errorClass: string | null,
): { what: string; action: string; cls: ErrorClassName | 'unknown' } {
  const cls = (ERROR_CLASSES as readonly string[]).includes(errorClass ?? '') ? (errorClass as ErrorClassName) : 'unknown';
  return {
    cls,
    what: code !== null && EXPLAINED_CODES.has(code) ? `errors.code.${code}` : `errors.class.${cls}.what`,
    action: `errors.class.${cls}.action`,
  };
}
