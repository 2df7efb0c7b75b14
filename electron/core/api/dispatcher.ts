import { fail, isMethodName, methods, type MethodName, type OutputOf, type Result } from '../../../shared/contract';
import { PacerError } from '../errors';
import type { Logger } from '../log';
import type { CallContext, Handlers } from './handlers';

/**
 * The single entry for every transport: validates the method name and parses the input with the
 * contract's zod schema before a handler sees it, and turns every failure into a Result.
 */
export function createDispatcher(handlers: Handlers, log: Logger) {
  return async function dispatch<M extends MethodName>(
    method: M | string,
    input: unknown,
    ctx: CallContext = {},
  ): Promise<Result<OutputOf<M>>> {
    if (!isMethodName(method)) return fail('not_found', `Unknown method: ${String(method).slice(0, 80)}`);
    const parsed = methods[method].input.safeParse(input ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
      const first = issues[0];
      return fail(
        'bad_input',
        first ? `Invalid input${first.path.length ? ` at ${first.path.join('.')}` : ''}: ${first.message}` : 'Invalid input',
        { issues },
      );
    }
    try {
      const handler = handlers[method] as (input: unknown, ctx: CallContext) => unknown;
      const value = (await handler(parsed.data, ctx)) as OutputOf<M>;
      return { ok: true, value };
    } catch (e) {
      if (e instanceof PacerError) return fail(e.code, e.message, e.details);
      log.error('handler failed', { method, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      return fail('internal', e instanceof Error ? e.message : 'Internal error');
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;
