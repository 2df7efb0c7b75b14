// Options after `--`: --seconds S, --concurrency C, --rate R, --min-batch N, --max-batch N.
/**
 * bench:webhooks — signed status webhooks posted concurrently to the receiver on 127.0.0.1.
 * The receiver (the real one: signature check, envelope check, group-committed inbox, processor
 * running alongside) lives on the main thread; the load comes from a worker thread so the client's
 * signing and parsing do not steal the receiver's event loop.
 *
 * Phases, side by side in one run:
 *   1. saturation (closed loop, C connections): events/s ingested to durable state, p50/p99 answer
 *      time — with synchronous=FULL (fsync per group commit) and with NORMAL, for the ratio;
 *   2. fixed rate 3,000 events/s (open loop: requests are sent on schedule whether or not earlier ones
 *      were answered, so queueing shows in the latency): p50/p99.
 * Options after `--`: --seconds S (default 5), --concurrency C (64), --rate R (3000), --min-batch 1 --max-batch 10.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createCore } from '../electron/core/index';

// Store keys of the benchmark's data folders (encrypted like every store) go to a temporary folder.
process.env.PACER_DB_KEY_DIR ??= path.join(os.tmpdir(), 'pacer-bench-db-keys');
import { checkSignature, signBody } from '../electron/core/webhooks/signature';
import { parseEnvelope } from '../electron/core/webhooks/payload';
import { WebhookService } from '../electron/core/webhooks/service';
import type { Durability } from '../electron/core/webhooks/inbox';

const SECRET = 'bench-app-secret-0123456789abcdef';

interface LoadSpec {
  url: string;
  mode: 'closed' | 'open';
  seconds: number;
  concurrency: number;
  rate: number;
  minBatch: number;
  maxBatch: number;
  seed: number;
}

interface LoadResult {
  requests: number;
  ok: number;
  events: number;
  elapsedMs: number;
  latencies: number[];
  statuses: Record<string, number>;
}

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};

function makeBodies(count: number, spec: LoadSpec): { body: string; sig: string; events: number }[] {
  const out = [];
  let x = spec.seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31), x / 2 ** 31);
  const statuses = ['sent', 'delivered', 'read'];
  for (let i = 0; i < count; i++) {
    const n = spec.minBatch + Math.floor(rnd() * (spec.maxBatch - spec.minBatch + 1));
    const list = Array.from({ length: n }, (_, k) => ({
      id: `wamid.HBgL${spec.seed}x${i}x${k}QzRGMDdGNzE1QjYyQUYwNjc0AA==`,
      status: statuses[(i + k) % 3],
      timestamp: String(1767600000 + i),
      recipient_id: `97254${String(1000000 + ((i * 31 + k) % 9000000)).padStart(7, '0')}`,
      ...((i + k) % 3 === 1 ? { pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' } } : {}),
      biz_opaque_callback_data: `c1:${i}:${k}`,
    }));
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
                statuses: list,
              },
            },
          ],
        },
      ],
    });
    out.push({ body, sig: signBody(body, SECRET), events: n });
  }
  return out;
}

async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.mode === 'closed' ? spec.concurrency : 1024 });
  const pool = makeBodies(4096, spec);
  const meanBatch = (spec.minBatch + spec.maxBatch) / 2;
  const res: LoadResult = { requests: 0, ok: 0, events: 0, elapsedMs: 0, latencies: [], statuses: {} };
  let next = 0;
  const send = () =>
    new Promise<void>((resolve) => {
      const item = pool[next++ % pool.length]!;
      const t0 = performance.now();
      res.requests++;
      const req = http.request(
        spec.url,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-hub-signature-256': item.sig } },
        (r) => {
          r.resume();
          r.on('end', () => {
            res.latencies.push(performance.now() - t0);
            res.statuses[String(r.statusCode)] = (res.statuses[String(r.statusCode)] ?? 0) + 1;
            if (r.statusCode === 200) {
              res.ok++;
              res.events += item.events;
            }
            resolve();
          });
        },
      );
      req.on('error', () => {
        res.statuses.error = (res.statuses.error ?? 0) + 1;
        resolve();
      });
      req.end(item.body);
    });
  const start = performance.now();
  const end = start + spec.seconds * 1000;
  if (spec.mode === 'closed') {
    await Promise.all(
      Array.from({ length: spec.concurrency }, async () => {
        while (performance.now() < end) await send();
      }),
    );
  } else {
    const perSecond = spec.rate / meanBatch;
    const inflight: Promise<void>[] = [];
    let sent = 0;
    while (performance.now() < end) {
      const due = Math.floor(((performance.now() - start) / 1000) * perSecond);
      while (sent < due) {
        inflight.push(send());
        sent++;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(inflight);
  }
  res.elapsedMs = performance.now() - start;
  agent.destroy();
  return res;
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;

/**
 * The receiver's pipeline without the HTTP stack: signature check, envelope check and the
 * group-committed FULL insert, for `concurrency` requests in flight at a time. Shows what the
 * storage path can take when the machine's HTTP client/server overhead is taken out.
 */
async function pipelinePhase(label: string, durability: Durability, spec: Omit<LoadSpec, 'url'>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-bench-wh-'));
  const core = createCore({ dataDir, host: 'cli' });
  const svc = new WebhookService(core.ctx, { durability, consentSink: null });
  svc.attach();
  await svc.processor.stop(); // storage only: processing is measured in the HTTP phases' drain
  const pool = makeBodies(4096, { ...spec, url: '' }).map((b) => ({ ...b, raw: Buffer.from(b.body) }));
  let events = 0;
  let next = 0;
  const lat: number[] = [];
  const start = performance.now();
  const end = start + spec.seconds * 1000;
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (performance.now() < end) {
        const item = pool[next++ % pool.length]!;
        const t0 = performance.now();
        if (checkSignature(item.raw, item.sig, SECRET) !== 'ok') throw new Error('bad signature');
        parseEnvelope(item.raw);
        await svc.inbox.append({ body: item.raw, source: 'direct' });
        lat.push(performance.now() - t0);
        events += item.events;
      }
    }),
  );
  const elapsed = performance.now() - start;
  const commits = svc.inbox.stats;
  await core.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  lat.sort((a, b) => a - b);
  return {
    phase: label,
    sync: durability.toUpperCase(),
    posts: lat.length,
    events_per_post: +(events / Math.max(1, lat.length)).toFixed(2),
    events_per_s: Math.round(events / (elapsed / 1000)),
    p50_ms: +pct(lat, 50).toFixed(2),
    p99_ms: +pct(lat, 99).toFixed(2),
    max_ms: +pct(lat, 100).toFixed(1),
    server_elu: NaN,
    rows_per_commit: +(commits.rows / Math.max(1, commits.commits)).toFixed(1),
    non_200: 0,
    stored_ok: true,
    processed_ok: true,
    drain_ms: 0,
  };
}

/** The same load against a bare node:http server that answers 200 at once: the machine's ceiling. */
async function barePhase(label: string, spec: Omit<LoadSpec, 'url'>) {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200);
      res.end('OK');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  const elu0 = performance.eventLoopUtilization();
  const worker = new Worker(new URL(import.meta.url), { workerData: { ...spec, url } satisfies LoadSpec });
  const result = await new Promise<LoadResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const elu = performance.eventLoopUtilization(elu0).utilization;
  await worker.terminate();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  const lat = result.latencies.sort((a, b) => a - b);
  return {
    phase: label,
    sync: '-',
    posts: result.requests,
    events_per_post: +(result.events / Math.max(1, result.ok)).toFixed(2),
    events_per_s: Math.round(result.events / (result.elapsedMs / 1000)),
    p50_ms: +pct(lat, 50).toFixed(2),
    p99_ms: +pct(lat, 99).toFixed(2),
    max_ms: +pct(lat, 100).toFixed(1),
    server_elu: +elu.toFixed(2),
    rows_per_commit: NaN,
    non_200: 0,
    stored_ok: true,
    processed_ok: true,
    drain_ms: 0,
  };
}

async function phase(label: string, durability: Durability, spec: Omit<LoadSpec, 'url'>, opts: { processing?: boolean } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-bench-wh-'));
  const core = createCore({ dataDir, host: 'cli' });
  const svc = new WebhookService(core.ctx, { durability, consentSink: null });
  svc.attach();
  const rx = await svc.start({ port: 0, relay: false });
  const processing = opts.processing ?? true;
  if (!processing) await svc.processor.stop();
  const elu0 = performance.eventLoopUtilization();
  const worker = new Worker(new URL(import.meta.url), { workerData: { ...spec, url: rx.url } satisfies LoadSpec });
  const result = await new Promise<LoadResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const elu = performance.eventLoopUtilization(elu0).utilization;
  await worker.terminate();
  const t0 = performance.now();
  if (processing) await svc.processor.drain();
  const drainMs = performance.now() - t0;
  const stored = (
    core.db
      .prepare(`SELECT coalesce(sum(json_array_length(body, '$.entry[0].changes[0].value.statuses')), 0) AS n FROM webhook_inbox`)
      .get() as { n: number }
  ).n;
  const processedEvents = (core.db.prepare('SELECT count(*) AS n FROM webhook_event_keys').get() as { n: number }).n;
  // The client cycles through a pool of bodies, so a long phase repeats some: those are duplicates
  // (deduplicated by design). Every DISTINCT stored event must have been processed.
  const distinctStored = (
    core.db
      .prepare(
        `SELECT count(DISTINCT json_extract(s.value, '$.id') || ':' || json_extract(s.value, '$.status'))
    AS n FROM webhook_inbox, json_each(webhook_inbox.body, '$.entry[0].changes[0].value.statuses') s`,
      )
      .get() as { n: number }
  ).n;
  const commits = svc.inbox.stats;
  await rx.close();
  await svc.stop();
  await core.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const lat = result.latencies.sort((a, b) => a - b);
  const row = {
    phase: label,
    sync: durability.toUpperCase(),
    posts: result.requests,
    events_per_post: +(result.events / Math.max(1, result.ok)).toFixed(2),
    events_per_s: Math.round(result.events / (result.elapsedMs / 1000)),
    p50_ms: +pct(lat, 50).toFixed(2),
    p99_ms: +pct(lat, 99).toFixed(2),
    max_ms: +pct(lat, 100).toFixed(1),
    server_elu: +elu.toFixed(2),
    rows_per_commit: +(commits.rows / Math.max(1, commits.commits)).toFixed(1),
    non_200: Object.entries(result.statuses)
      .filter(([k]) => k !== '200')
      .reduce((a, [, n]) => a + n, 0),
    stored_ok: stored === result.events,
    processed_ok: processing ? processedEvents === distinctStored : 'paused',
    drain_ms: Math.round(drainMs),
  };
  return row;
}

if (!isMainThread) {
  const r = await runLoad(workerData as LoadSpec);
  parentPort!.postMessage(r);
} else {
  process.env.PACER_APP_SECRET = SECRET;
  const seconds = arg('seconds', 5);
  const concurrency = arg('concurrency', 64);
  const rate = arg('rate', 3000);
  const minBatch = arg('min-batch', 1);
  const maxBatch = arg('max-batch', 10);
  console.log(
    `bench:webhooks — Node ${process.version}, ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}, load avg ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(`${seconds}s per phase, ${minBatch}–${maxBatch} statuses per POST (uniform), signed, processor running alongside\n`);
  const base = { seconds, concurrency, rate, minBatch, maxBatch };
  const rows = [
    await barePhase(`bare node:http c=${concurrency}`, { ...base, mode: 'closed', seed: 9 }),
    await phase(`saturation c=${concurrency}`, 'full', { ...base, mode: 'closed', seed: 1 }),
    await phase(`saturation c=${concurrency}`, 'normal', { ...base, mode: 'closed', seed: 2 }),
    await phase(`saturation, processing paused`, 'full', { ...base, mode: 'closed', seed: 6 }, { processing: false }),
    await phase(`fixed ${rate}/s`, 'full', { ...base, mode: 'open', seed: 3 }),
    await phase(`1 status/POST c=${concurrency}`, 'full', { ...base, minBatch: 1, maxBatch: 1, mode: 'closed', seed: 4 }),
    await pipelinePhase(`pipeline, no HTTP c=${concurrency}`, 'full', { ...base, mode: 'closed', seed: 5 }),
  ];
  console.table(rows);
  const bare = rows[0]!;
  const full = rows[1]!;
  const normal = rows[2]!;
  console.log(`\nFULL / NORMAL throughput ratio: ${(full.events_per_s / normal.events_per_s).toFixed(2)}`);
  console.log(`Receiver (FULL) / bare node:http throughput ratio: ${(full.events_per_s / bare.events_per_s).toFixed(2)}`);
  console.log(`Target ≥ 10,000 events/s (saturation, FULL): ${full.events_per_s >= 10_000 ? 'met' : 'NOT met'} (${full.events_per_s})`);
  console.log(`Target p99 ≤ 250 ms at ${rate}/s: ${rows[4]!.p99_ms <= 250 ? 'met' : 'NOT met'} (${rows[4]!.p99_ms} ms)`);
  if (rows.some((r) => !r.stored_ok || r.processed_ok === false)) {
    console.error('Integrity check failed: acknowledged events missing from the inbox or unprocessed.');
    process.exitCode = 1;
  }
}
