import fc from 'fast-check';
import type { Action, Script } from './send-model';

/** Random scripts for the send model: what happens, and when (ms after the previous step). */
export function scriptArbitrary(opts: { maxSteps: number; contacts?: number }): fc.Arbitrary<Script> {
  const contacts = opts.contacts ?? 40;
  const who = fc.nat({ max: contacts - 1 });
  const action: fc.Arbitrary<Action> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('opt_out' as const),
        who,
        channel: fc.constantFrom('keyword' as const, 'button' as const, 'preference' as const, 'app' as const),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('erase' as const), who }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('hold' as const), who }) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('faults' as const),
        fault: fc.constantFrom(
          'none' as const,
          'slow' as const,
          'drop' as const,
          'lost_after_accept' as const,
          'error_5xx' as const,
          'timeout' as const,
        ),
      }),
    },
    { weight: 2, arbitrary: fc.constant({ kind: 'stop' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'crash' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'token_expired' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'template_paused' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'tier_raised' as const }) },
  );
  const step = fc.record({ afterMs: fc.integer({ min: 0, max: 400 }), action });
  return fc.record({ contacts: fc.constant(contacts), steps: fc.array(step, { minLength: 3, maxLength: opts.maxSteps }) });
}
