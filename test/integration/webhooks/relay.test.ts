import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { RelayClient } from '../../../electron/core/webhooks/relay-client';
import { signBody } from '../../../electron/core/webhooks/signature';
import { REPO, tempDataDir } from '../../support/harness';
import { APP_SECRET, quietLog, statusEnvelope, testCtx, webhookService } from '../../unit/webhooks/helpers';
import { RELAY_MAIN, RELAY_VERIFY, freePort, relayChildren, relayEnv, startRelayProcess, waitFor } from './child-support';

const MAIN = RELAY_MAIN;
const VERIFY = RELAY_VERIFY;
afterAll(() => {
  for (const c of relayChildren) if (c.exitCode === null) c.kill('SIGKILL');
});
const relayEnvFor = (dir: string, port: number) => relayEnv(dir, port, APP_SECRET);
const startRelayProc = (dir: string, port: number) => startRelayProcess(dir, port, APP_SECRET);

const bodyFor = (i: number) =>
  JSON.stringify(
    statusEnvelope([{ id: `wamid.RL${i}`, status: 'delivered', timestamp: String(1767600000 + i), recipient_id: '972540000000' }]),
  );
const postSigned = (url: string, body: string, secret = APP_SECRET) =>
  fetch(`${url}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, secret) },
    body,
  });

describe('relay end to end (signed events → relay → app inbox)', () => {
  it('loses nothing and duplicates nothing across a relay kill -9/restart, the app offline, and a lost acknowledgement', async () => {
    const relayDir = tempDataDir('pacer-relay-');
    const port = await freePort();
    const paired = spawnSync(process.execPath, [MAIN, 'pair', '--name', 'test-laptop'], {
      cwd: REPO,
      env: relayEnvFor(relayDir, port),
      encoding: 'utf8',
    });
    expect(paired.status, paired.stderr).toBe(0);
    const { token } = JSON.parse(paired.stdout) as { token: string };

    let relay = await startRelayProc(relayDir, port);
    // The relay applies Meta's rules too: handshake, signature, envelope.
    const hs = await fetch(`${relay.url}/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=4242`);
    expect([hs.status, await hs.text()]).toEqual([200, '4242']);
    expect((await fetch(`${relay.url}/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`)).status).toBe(403);
    expect((await postSigned(relay.url, bodyFor(0), 'wrong-secret')).status).toBe(403);
    expect((await fetch(`${relay.url}/v1/events`)).status).toBe(401);
    expect((await fetch(`${relay.url}/v1/events`, { headers: { authorization: 'Bearer prl_wrong' } })).status).toBe(401);

    const ctx = testCtx();
    const svc = webhookService(ctx);
    svc.config.setRelay(relay.url, token);
    try {
      const sent: string[] = [];
      const post = async (from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const b = bodyFor(i);
          const r = await postSigned(relay.url, b);
          expect(r.status).toBe(200);
          sent.push(b);
        }
      };
      const inboxBodies = () =>
        (ctx.db.prepare('SELECT body FROM webhook_inbox').all() as { body: Buffer }[]).map((r) => r.body.toString());

      // 1. App online: events flow through.
      expect(svc.startRelay()).toBe(true);
      await post(0, 30);
      await waitFor(() => inboxBodies().length === 30, 'the first 30 relayed events');

      // 2. App offline; events keep arriving; the relay is killed -9 right after its last 200 and restarted.
      await svc.stopRelay();
      await post(30, 60);
      relay.child.kill('SIGKILL');
      await relay.exited;
      relay = await startRelayProc(relayDir, port);
      await post(60, 90);
      const health = (await (await fetch(`${relay.url}/healthz`)).json()) as { events: number };
      expect(health.events).toBe(60);

      // 3. A lost acknowledgement: the pull reaches the app, the ack never reaches the relay.
      const dropAck: typeof fetch = async (input, init) => {
        if (String(input).endsWith('/v1/ack')) throw new Error('network dropped the ack');
        return fetch(input, init);
      };
      const flaky = new RelayClient({
        url: relay.url,
        token,
        inbox: svc.inbox,
        clock: ctx.clock,
        log: quietLog,
        fetch: dropAck,
        appSecret: () => APP_SECRET,
        max: 10,
      });
      await expect(flaky.pullOnce(undefined, 0)).rejects.toThrow(/dropped/);
      expect(inboxBodies().length).toBe(40);

      // 4. App back online: everything arrives once; the relay deletes what was acknowledged.
      expect(svc.startRelay()).toBe(true);
      await waitFor(() => inboxBodies().length === 90, 'all 90 events in the app inbox');
      await waitFor(() => svc.info().relay.connected, 'the relay client to reconnect');
      const h2 = async () => ((await (await fetch(`${relay.url}/healthz`)).json()) as { events: number }).events;
      const deadline = Date.now() + 10_000;
      while ((await h2()) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await h2()).toBe(0);

      const bodies = inboxBodies();
      expect(new Set(bodies).size).toBe(bodies.length); // no duplicates
      expect([...bodies].sort()).toEqual([...sent].sort()); // nothing lost
      await svc.processor.drain();
      expect(
        (ctx.db.prepare("SELECT count(*) AS n FROM webhook_event_keys WHERE key LIKE 'status:wamid.RL%'").get() as { n: number }).n,
      ).toBe(90);
      expect(svc.inbox.counts()).toMatchObject({ pending: 0, failed: 0, processed: 90 });
    } finally {
      await ctx.close();
      relay.child.kill('SIGTERM');
      await relay.exited;
      fs.rmSync(relayDir, { recursive: true, force: true });
    }
  });

  it('keeps events that arrive before any installation is paired, for the first one', async () => {
    const relayDir = tempDataDir('pacer-relay-');
    const port = await freePort();
    const relay = await startRelayProc(relayDir, port);
    try {
      expect((await postSigned(relay.url, bodyFor(500))).status).toBe(200);
      const paired = spawnSync(process.execPath, [MAIN, 'pair', '--name', 'late'], {
        cwd: REPO,
        env: relayEnvFor(relayDir, port),
        encoding: 'utf8',
      });
      const { token } = JSON.parse(paired.stdout) as { token: string };
      const r = await fetch(`${relay.url}/v1/events?wait=0`, { headers: { authorization: `Bearer ${token}` } });
      const { events } = (await r.json()) as { events: { body: string }[] };
      expect(events.map((e) => Buffer.from(e.body, 'base64').toString())).toEqual([bodyFor(500)]);
    } finally {
      relay.child.kill('SIGTERM');
      await relay.exited;
    }
  });
});
