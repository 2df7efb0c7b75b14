/**
 * The sending guarantees as a property over random interleavings (see send-model.ts): fixed seed
 * in CI; `npm run bench:guarantees` runs more and longer scripts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scriptArbitrary } from './script-arbitrary';
import { runScript } from './send-model';

const SEED = Number(process.env.PACER_MODEL_SEED ?? 20261204);
const RUNS = Number(process.env.PACER_MODEL_RUNS ?? 6);

describe('sending guarantees under random timing (model-based, against the Sandbox)', () => {
  it(`never twice, never after an opt-out/erasure/hold, never over the limit, nobody forgotten (${RUNS} runs, seed ${SEED})`, async () => {
    const seen: string[] = [];
    await fc.assert(
      fc.asyncProperty(scriptArbitrary({ maxSteps: 12 }), async (script) => {
        const lines: string[] = [];
        const r = await runScript(script, (l) => lines.push(l));
        seen.push(
          `${script.steps.length} steps: ${r.figures.sandboxAccepted} accepted, ${r.figures.uncertain} uncertain, ${r.figures.skipped} skipped, ${r.figures.effects} effects, ${r.figures.restarts} stops, ${r.figures.crashes} crashes, ${r.figures.ms} ms`,
        );
        if (r.violations.length) throw new Error(`violations:\n${r.violations.join('\n')}\nscript:\n${lines.join('\n')}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.log(`send model:\n${seen.join('\n')}`);
    expect(seen).toHaveLength(RUNS);
  }, 600_000);
});
