// `npm test`: every check and every runner, then one line "N passed, N failed" summed over all.
// Steps run even after a failure so one run shows everything that is wrong.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { TYPECHECK_CONFIGS } from './typecheck.mjs';

const bin = (name) => `node_modules/.bin/${name}`;
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
mkdirSync('test-results', { recursive: true });

function run(label, cmd, args, env = {}) {
  const t0 = Date.now();
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  return { ok: r.status === 0, secs };
}

/** A check (lint, types, build) counts as one test. */
function check(label, cmd, args) {
  const r = run(label, cmd, args);
  totals[r.ok ? 'passed' : 'failed']++;
  lines.push(`${label}: ${r.ok ? 'ok' : 'FAILED'} (${r.secs}s)`);
  return r.ok;
}

function runner(label, cmd, args, reportFile, count) {
  rmSync(reportFile, { force: true });
  const r = run(label, cmd, args);
  if (!existsSync(reportFile)) {
    totals.failed++;
    lines.push(`${label}: no report written (exit ${r.ok ? 0 : 'non-zero'}) — counted as 1 failure (${r.secs}s)`);
    return;
  }
  const c = count(JSON.parse(readFileSync(reportFile, 'utf8')));
  if (!r.ok && c.failed === 0) c.failed = 1; // the runner failed outside any test (setup, config)
  totals.passed += c.passed;
  totals.failed += c.failed;
  totals.skipped += c.skipped;
  lines.push(`${label}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped (${r.secs}s)`);
}

const playwrightCount = (j) => ({ passed: j.stats.expected + (j.stats.flaky ?? 0), failed: j.stats.unexpected, skipped: j.stats.skipped });

check('lint', bin('eslint'), ['.']);
check('format (prettier, print width 140)', bin('prettier'), ['--check', '.', '--log-level', 'warn']);
// One check per runtime's tsconfig (a browser global in Node code fails one of them).
for (const config of TYPECHECK_CONFIGS) check(`typecheck ${config}`, bin('tsc'), ['-p', config, '--noEmit']);
const built = check('build', process.execPath, ['scripts/build.mjs']);

runner(
  'vitest (core, shared, CLI)',
  bin('vitest'),
  ['run', '--reporter=default', '--reporter=json', '--outputFile=test-results/vitest.json'],
  'test-results/vitest.json',
  (j) => ({
    passed: j.numPassedTests,
    failed: j.numFailedTests + (j.numRuntimeErrorTestSuites ?? 0),
    skipped: j.numPendingTests + j.numTodoTests,
  }),
);

if (built) {
  runner(
    'playwright web (Chromium + pacer serve)',
    bin('playwright'),
    ['test', '-c', 'test/e2e-web/playwright.config.ts'],
    'test-results/e2e-web.json',
    playwrightCount,
  );
} else {
  totals.failed++;
  lines.push('playwright web: not run, the build failed');
}
runner(
  'playwright electron',
  bin('playwright'),
  ['test', '-c', 'test/e2e-electron/playwright.config.ts'],
  'test-results/e2e-electron.json',
  playwrightCount,
);
// A skipped test says why in the summary, not only in its report (e.g. no Electron binary here).
for (const reason of skipReasons('test-results/e2e-electron.json')) lines.push(`playwright electron skipped: ${reason}`);

/** The distinct reasons given by skipped tests (Playwright's `skip` annotations) in a JSON report. */
function skipReasons(reportFile) {
  if (!existsSync(reportFile)) return [];
  const found = new Set();
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (v.type === 'skip' && typeof v.description === 'string') found.add(v.description);
      Object.values(v).forEach(walk);
    }
  };
  walk(JSON.parse(readFileSync(reportFile, 'utf8')));
  return [...found];
}

console.log('\n── Summary ──');
for (const l of lines) console.log(`  ${l}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed ? 1 : 0);
