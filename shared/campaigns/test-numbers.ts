/**
 * The numbers of a test send as the user types them: one per line, or separated by commas or
 * semicolons (the import's separators for several numbers in one cell). Spaces, dashes, dots and
 * parentheses stay inside a number — "+972 50 234 5678" is one number, which the core's phone
 * normaliser reads. Shared by the core (contract validation, the test send) and the builder (the
 * count shown before sending), so both count alike.
 */

/** At most this many numbers in one test send: it is a check of the message, not a campaign. */
export const TEST_SEND_MAX = 10;

const SEPARATORS = /[\r\n,;]+/;

/** The typed numbers, trimmed, blanks dropped, in the order typed. */
export function splitTestNumbers(input: string | readonly string[]): string[] {
  const parts = typeof input === 'string' ? [input] : input;
  return parts
    .flatMap((p) => p.split(SEPARATORS))
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}
