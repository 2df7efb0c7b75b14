// Options after `--`: --sends N (default 3000), --concurrency C (default 32).
/**
 * Sandbox throughput: template sends over HTTP (validated, limits, status scheduling) and the
 * resulting signed status webhooks to a local receiver, measured side by side in one run:
 *   1. a trivial node:http server answering the same POSTs (the client + loopback ceiling),
 *   2. the sandbox with one update per webhook POST (batch_max 1),
 *   3. the sandbox with Meta-style batching (batch_max 1000).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_SCENARIO, SANDBOX_ACCESS_TOKEN, SANDBOX_PHONE_NUMBER_ID, startSandbox } from '../electron/core/sandbox';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('sends', 3000);
const CONC = arg('concurrency', 32);

let updates = 0;
let posts = 0;
const receiver = http.createServer((req, res) => {
  let b = '';
  req.on('data', (c: Buffer) => (b += c));
  req.on('end', () => {
    posts++;
    updates += (JSON.parse(b) as { entry: unknown[] }).entry.length;
    res.writeHead(200).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const body = (i: number) =>
  JSON.stringify({
    messaging_product: 'whatsapp',
    to: `+9725${String(i).padStart(8, '0')}`,
    type: 'template',
    template: {
      name: 'order_update',
      language: { code: 'en_US' },
      components: [
        { type: 'header', parameters: [{ type: 'text', text: 'A1' }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Dana' },
            { type: 'text', text: 'A1' },
            { type: 'text', text: 'Friday' },
          ],
        },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A1' }] },
      ],
    },
  });

async function drive(url: string, offset: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONC }, async () => {
      while (next < N) {
        const i = offset + next++;
        const r = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${SANDBOX_ACCESS_TOKEN}`, 'content-type': 'application/json' },
          body: body(i),
        });
        if (r.status !== 200) throw new Error(`send ${i}: HTTP ${r.status}`);
        await r.arrayBuffer();
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

async function trivial() {
  const s = http.createServer((req, res) => {
    let b = '';
    req.on('data', (c: Buffer) => (b += c));
    req.on('end', () => {
      JSON.parse(b);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"messaging_product":"whatsapp"}');
    });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const secs = await drive(`http://127.0.0.1:${(s.address() as AddressInfo).port}/v24.0/1/messages`, 0);
  s.close();
  return { case: 'trivial server', sends_per_s: Math.round(N / secs) };
}

async function sandbox(batchMax: number, offset: number) {
  updates = 0;
  posts = 0;
  const sb = await startSandbox({
    webhookUrl: hookUrl,
    scenario: {
      ...DEFAULT_SCENARIO,
      users: [],
      limits: { throughput_mps: 1e9 },
      delivery: { sent_delay_ms: [0, 50], delivered_delay_ms: [0, 50], read_delay_ms: [0, 100], read_rate: 1 },
      webhooks: { batch_max: batchMax },
    },
  });
  const t0 = performance.now();
  const sendSecs = await drive(`${sb.baseUrl}/v24.0/${SANDBOX_PHONE_NUMBER_ID}/messages`, offset);
  while (sb.stats().webhooks.pending > 0) await new Promise((r) => setTimeout(r, 20));
  const allSecs = (performance.now() - t0) / 1000;
  const rss = Math.round(process.memoryUsage().rss / 1e6);
  await sb.close();
  return {
    case: `sandbox batch_max ${batchMax}`,
    sends_per_s: Math.round(N / sendSecs),
    webhook_updates: updates,
    webhook_posts: posts,
    all_done_s: +allSecs.toFixed(2),
    rss_mb: rss,
  };
}

const base = await trivial();
const one = await sandbox(1, 10_000_000);
const batched = await sandbox(1000, 20_000_000);
receiver.close();
console.log(`sends: ${N}, concurrency: ${CONC}, node ${process.version}`);
console.table([base, one, batched]);
console.log(`sandbox send rate vs trivial server: ${(batched.sends_per_s / base.sends_per_s).toFixed(2)}×`);
console.log(
  `end-to-end (sends + all status webhooks) batched vs one-per-POST: ${(one.all_done_s / batched.all_done_s).toFixed(2)}× faster, ${one.webhook_posts} → ${batched.webhook_posts} POSTs`,
);
