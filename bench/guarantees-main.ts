/**
 * npm run bench:guarantees [-- --runs N --steps N --seed S]
 *
 * The model-based drill of the sending guarantees (test/integration/guarantees/send-model.ts),
 * longer than CI runs it: N random scripts of up to `steps` actions (stops, crashes, slow / dropped /
 * lost-after-accept answers, opt-outs from every channel, erasures, holds, token expiry, template
 * pause, tier raise), each against a fresh Sandbox and core. Prints each run and the totals; exits 1
 * with the failing script if any invariant broke. Figures go in docs/benchmarks.md.
 */
import fc from 'fast-check';
import { scriptArbitrary } from '../test/integration/guarantees/script-arbitrary';
import { runScript } from '../test/integration/guarantees/send-model';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const runs = arg('runs', 30);
const steps = arg('steps', 25);
const seed = arg('seed', Date.now() % 2 ** 31);

const totals = { runs: 0, steps: 0, accepted: 0, uncertain: 0, skipped: 0, effects: 0, stops: 0, crashes: 0, ms: 0 };
console.log(`bench:guarantees — ${runs} runs, up to ${steps} steps, seed ${seed}`);
const scripts = fc.sample(scriptArbitrary({ maxSteps: steps }), { seed, numRuns: runs });
let failed = 0;
for (const [i, script] of scripts.entries()) {
  const lines: string[] = [];
  const r = await runScript(script, (l) => lines.push(l));
  const f = r.figures;
  totals.runs++;
  totals.steps += script.steps.length;
  totals.accepted += f.sandboxAccepted;
  totals.uncertain += f.uncertain;
  totals.skipped += f.skipped;
  totals.effects += f.effects;
  totals.stops += f.restarts;
  totals.crashes += f.crashes;
  totals.ms += f.ms;
  console.log(
    `run ${i + 1}: ${script.steps.length} steps, ${f.sandboxAccepted} accepted, ${f.uncertain} uncertain, ${f.skipped} skipped, ${f.effects} opt-out/erasure/hold effects, ${f.restarts} stops, ${f.crashes} crashes, ${(f.ms / 1000).toFixed(1)} s — ${r.violations.length ? 'VIOLATED' : 'ok'}`,
  );
  if (r.violations.length) {
    failed++;
    console.log(`  violations:\n  ${r.violations.join('\n  ')}\n  script:\n${lines.join('\n')}`);
  }
}
console.log(JSON.stringify({ seed, ...totals, violatedRuns: failed }));
process.exit(failed ? 1 : 0);
