import type { ErrorCode } from '../../shared/contract/result';

/** An error meant for the user: its code and message cross the contract unchanged. */
export class PacerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'PacerError';
  }
}

export const badInput = (message: string, details?: unknown) => new PacerError('bad_input', message, details);
export const notFound = (message: string) => new PacerError('not_found', message);
