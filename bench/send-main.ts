// Options after `--`: --recipients N, --bare N, --rate R, --inflight C, --unencrypted (the store without encryption, to compare).
/**
 * npm run bench:send — Pacer's sender against the sandbox set to 1,000 msg/s, next to a bare HTTP
 * send loop against the same emulator, in one run.
 *
 * The sandbox runs in a child process so the CPU measured here is the sender's own. Both phases
 * use the same GraphClient (undici fetch) and the same number of requests in flight; the bare loop
 * paces itself with a sliding one-second window and does nothing else (no ledger, no gates).
 *
 * Options: --recipients N (100000), --bare N (20000), --rate R (1000), --inflight C (64).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../electron/core/clock';
import { createCore } from '../electron/core/index';
import { UNENCRYPTED_FOR_BENCHMARKS } from '../electron/core/db/open-store';
import { MemoryStoreKeyVault } from '../electron/core/secrets/store-key';
import { silentLogger } from '../electron/core/log';
import { MemoryVault } from '../electron/core/secrets/vault';
import { MemorySettingsStore } from '../electron/core/settings/store';
import {
  DEFAULT_SCENARIO,
  SANDBOX_ACCESS_TOKEN,
  SANDBOX_APP_SECRET,
  SANDBOX_PHONE_NUMBER_ID,
  SANDBOX_WABA_ID,
  startSandbox,
  type Scenario,
} from '../electron/core/sandbox/index';
import { GraphClient, buildTemplateMessage } from '../electron/core/whatsapp/client';
import { ThroughputLimiter } from '../electron/core/campaigns/throttle';
import { createGraphTransport } from '../electron/core/http/graph-transport';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};

const RATE = arg('rate', 1000);
const scenario: Scenario = {
  ...DEFAULT_SCENARIO,
  business: { ...DEFAULT_SCENARIO.business!, messaging_limit: 'TIER_UNLIMITED' },
  limits: { ...DEFAULT_SCENARIO.limits, throughput_mps: RATE, auto_scaling: false },
  faults: {},
};

if (process.argv.includes('--sandbox-child')) {
  const sb = await startSandbox({ scenario, seed: 3 });
  // The emulator's own event-loop delay: a stalled sandbox bunches arrivals (130429s, dips).
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  process.stdout.write(`${sb.baseUrl}\n`);
  process.stdin.on('end', () => {
    const ms = (ns: number) => +(ns / 1e6).toFixed(1);
    process.stderr.write(
      `sandbox event loop: p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms, heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB\n`,
    );
    void sb.close().then(() => process.exit(0));
  });
  process.stdin.resume();
} else {
  await main();
}

async function main() {
  const N = arg('recipients', 100_000);
  const BARE = arg('bare', 20_000);
  const INFLIGHT = arg('inflight', 64);
  const self = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    [...(process.env.PACER_BENCH_SANDBOX_FLAGS?.split(' ').filter(Boolean) ?? []), self, '--sandbox-child', '--rate', String(RATE)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const baseUrl = await new Promise<string>((resolve) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.on('line', (l) => {
      if (l.startsWith('http')) resolve(l);
      else if (process.env.PACER_BENCH_SANDBOX_FLAGS) process.stderr.write(`sandbox: ${l}\n`);
    });
  });
  const admin = async (p: string, method = 'GET') =>
    (await fetch(`${baseUrl}/__admin/${p}`, { method })).json() as Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const phone = (i: number) => `+97250${String(1_000_000 + i).slice(-7)}`;
  const cpuUs = () => {
    const c = process.cpuUsage();
    return c.user + c.system;
  };
  console.log(
    `bench:send — sandbox at ${baseUrl} (${RATE} msg/s), ${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );

  // ---- phase 1: bare HTTP send loop -------------------------------------------------------------
  const transport = createGraphTransport(); // the transport the app uses (undici request, own pool)
  const client = new GraphClient({ baseUrl, token: () => SANDBOX_ACCESS_TOKEN, fetch: transport.fetch, clock: systemClock, retries: 0 });
  let bareOk = 0;
  const bareLoop = (count: number, offset: number) =>
    new Promise<void>((resolve) => {
      const limiter = new ThroughputLimiter(RATE);
      let inflight = 0;
      let i = 0;
      const pump = () => {
        while (i < count && inflight < INFLIGHT) {
          const wait = limiter.waitMs(Date.now());
          if (wait > 0) {
            setTimeout(pump, wait);
            return;
          }
          limiter.record(Date.now());
          inflight++;
          const body = buildTemplateMessage({
            to: phone(offset + i),
            name: 'appointment_reminder',
            language: 'en_US',
            components: [
              {
                type: 'body',
                parameters: [
                  { type: 'text', text: `Name${i}` },
                  { type: 'text', text: 'Tel Aviv' },
                  { type: 'text', text: 'May 12, 10:30' },
                ],
              },
            ],
            bizOpaqueCallbackData: `bare:${i}`,
          });
          i++;
          client
            .sendTemplate(SANDBOX_PHONE_NUMBER_ID, body)
            .then(
              () => {
                bareOk++;
              },
              () => undefined,
            )
            .finally(() => {
              inflight--;
              if (i >= count && inflight === 0) resolve();
              else pump();
            });
        }
      };
      pump();
    });
  await bareLoop(1000, 800_000); // warm-up (JIT, connections): not measured
  bareOk = 0;
  const bareCpu0 = cpuUs();
  const bareT0 = performance.now();
  await bareLoop(BARE, 900_000);
  const bareWall = (performance.now() - bareT0) / 1000;
  const bareCpuPerMsg = (cpuUs() - bareCpu0) / BARE;
  const bareStats = await admin('stats');
  await admin('stats/reset', 'POST');

  // ---- phase 2: Pacer's sender ----------------------------------------------------------------
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-bench-send-'));
  // The store is encrypted, as every store is (docs/security.md); --unencrypted measures without.
  const unencrypted = process.argv.includes('--unencrypted');
  const storeKeys = unencrypted ? UNENCRYPTED_FOR_BENCHMARKS : new MemoryStoreKeyVault();
  console.log(`store: ${unencrypted ? 'unencrypted (--unencrypted)' : 'encrypted (SQLCipher 4 via SQLite3MultipleCiphers)'}`);
  const core = createCore({
    dataDir,
    host: 'cli',
    secrets: new MemoryVault(),
    settings: new MemorySettingsStore(),
    log: silentLogger,
    storeKeys,
  });
  const r = await core.call('account:connect', {
    graphUrl: baseUrl,
    wabaId: SANDBOX_WABA_ID,
    phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
    accessToken: SANDBOX_ACCESS_TOKEN,
    appSecret: SANDBOX_APP_SECRET,
  });
  if (!r.ok) throw new Error(r.message);
  await core.services.templates.sync();
  const now = Date.now();
  core.db.transaction(() => {
    const ins = core.db.prepare(
      "INSERT INTO contacts (phone, first_name, name, country, created_at, updated_at) VALUES (?, ?, ?, 'IL', ?, ?)",
    );
    for (let i = 0; i < N; i++) ins.run(phone(i), `Name${i}`, `Name${i}`, now, now);
  })();
  const { campaigns } = core.services;
  const created = campaigns.create({
    name: 'Bench',
    template: { name: 'appointment_reminder', language: 'en_US' },
    audience: 'all',
    params: { 1: 'first_name', 2: '"Tel Aviv"', 3: '"May 12, 10:30"' },
    options: { rate: RATE },
  });
  // Where the rate dips, and why: every 130429 and every rate cut, with its time.
  const throttleTimes: number[] = [];
  const rateCuts: { at: number; to: number }[] = [];
  const throttledOriginal = ThroughputLimiter.prototype.throttled;
  ThroughputLimiter.prototype.throttled = function (this: ThroughputLimiter, now: number) {
    const before = this.rate;
    throttledOriginal.call(this, now);
    throttleTimes.push(now);
    if (this.rate < before) rateCuts.push({ at: now, to: this.rate });
  };
  const tPlan = performance.now();
  await campaigns.start(created.id);
  const startSecs = (performance.now() - tPlan) / 1000;
  const cpu0 = cpuUs();
  const t0 = performance.now();
  campaigns.startEngine({ maxInflight: INFLIGHT });
  const stateOf = core.db.prepare('SELECT state FROM campaigns WHERE id = ?').pluck();
  while (stateOf.get(created.id) === 'running') await new Promise((res) => setTimeout(res, 200));
  const wall = (performance.now() - t0) / 1000;
  const cpuPerMsg = (cpuUs() - cpu0) / N;
  const senderStats = { ...campaigns.engine!.sender.stats };
  await campaigns.stopEngine();
  const times = core.db.prepare('SELECT min(at) AS a, max(at) AS b, count(*) AS n FROM messaging_log').get() as {
    a: number;
    b: number;
    n: number;
  };
  const achieved = (times.n - 1) / ((times.b - times.a) / 1000);
  const counts = campaigns.get(created.id).counts;
  // How long the last 1 % took (retried 130429s come at the end).
  const p99At = core.db
    .prepare('SELECT at FROM messaging_log ORDER BY at LIMIT 1 OFFSET ?')
    .pluck()
    .get(Math.floor(times.n * 0.99)) as number;
  const tailSeconds = +((times.b - p99At) / 1000).toFixed(1);
  // Sends per wall-clock second (first and last partial seconds left out): where the rate dips.
  const secondRows = core.db
    .prepare('SELECT at / 1000 AS s, count(*) AS n FROM messaging_log GROUP BY at / 1000 ORDER BY at / 1000')
    .all() as { s: number; n: number }[];
  const perSecond = secondRows.map((r) => r.n).slice(1, -1);
  const first = secondRows[0]!.s;
  const dips = secondRows
    .slice(1, -1)
    .filter((r) => r.n < 900)
    .map((r) => ({
      second: r.s - first,
      sends: r.n,
      throttled_here_and_before: throttleTimes.filter((t) => Math.floor(t / 1000) === r.s || Math.floor(t / 1000) === r.s - 1).length,
      rate_cut: rateCuts.some((c) => Math.floor(c.at / 1000) >= r.s - 2 && Math.floor(c.at / 1000) <= r.s),
    }));
  const sortedPs = [...perSecond].sort((a, b) => a - b);
  const secondsProfile = {
    seconds: perSecond.length,
    min: sortedPs[0],
    p10: sortedPs[Math.floor(sortedPs.length * 0.1)],
    median: sortedPs[Math.floor(sortedPs.length / 2)],
    max: sortedPs.at(-1),
    below_900: perSecond.filter((x) => x < 900).length,
  };
  // The end of the run: the last sends (ms before the final one, and the row's attempts).
  const tail = (
    core.db
      .prepare(
        'SELECT l.at, r.attempts FROM messaging_log l JOIN campaign_recipients r ON r.id = l.recipient_id ORDER BY l.at DESC LIMIT 12',
      )
      .all() as { at: number; attempts: number }[]
  )
    .map((x) => `${x.at - times.b}ms/a${x.attempts}`)
    .join(' ');
  const stats = await admin('stats');
  await core.close();
  child.stdin!.end();
  fs.rmSync(dataDir, { recursive: true, force: true });

  const maxMps = Math.max(...Object.values(stats.max_mps as Record<string, number>));
  const out = {
    rate_target: RATE,
    bare: {
      messages: BARE,
      accepted: bareOk,
      seconds: +bareWall.toFixed(1),
      rate: +(BARE / bareWall).toFixed(1),
      cpu_us_per_msg: +bareCpuPerMsg.toFixed(1),
      max_mps: Math.max(...Object.values(bareStats.max_mps as Record<string, number>)),
    },
    pacer: {
      recipients: N,
      snapshot_seconds: +startSecs.toFixed(1),
      seconds: +wall.toFixed(1),
      achieved_rate: +achieved.toFixed(1),
      achieved_pct: +((achieved / RATE) * 100).toFixed(1),
      max_mps: maxMps,
      throughput_rejections: stats.limits.throughput_rejections,
      duplicates: stats.duplicates.same_callback_data,
      accepted: stats.sends.accepted,
      counts,
      cpu_us_per_msg: +cpuPerMsg.toFixed(1),
      sender: senderStats,
      per_second: secondsProfile,
      dips,
      rate_cuts: rateCuts.map((c) => ({ second: Math.floor(c.at / 1000) - first, to: c.to })),
      throttled_by_second: Object.entries(
        throttleTimes.reduce<Record<number, number>>(
          (m, t) => ((m[Math.floor(t / 1000) - first] = (m[Math.floor(t / 1000) - first] ?? 0) + 1), m),
          {},
        ),
      )
        .map(([k, v]) => `${k}:${v}`)
        .join(' '),
      last_1pct_seconds: tailSeconds,
      last_sends: tail,
    },
    cpu_ratio: +(cpuPerMsg / bareCpuPerMsg).toFixed(2),
    checks: {
      rate_at_least_95pct: achieved >= 0.95 * RATE,
      never_above: maxMps <= RATE,
      cpu_ratio_at_most_1_5: cpuPerMsg / bareCpuPerMsg <= 1.5,
    },
  };
  console.log(JSON.stringify(out, null, 2));
  process.exit(0);
}
