import http from 'node:http';
import { openDataDirStore } from '../../support/store';
import { describe, expect, it } from 'vitest';
import { signBody } from '../../../electron/core/webhooks/signature';
import { tempDataDir } from '../../support/harness';
import { buildReceiverChild, startChild, waitFor } from './child-support';

const SECRET = 'kill9-app-secret-0123456789';

function body(i: number): string {
  const statuses = Array.from({ length: 1 + (i % 5) }, (_, k) => ({
    id: `wamid.K${i}-${k}`,
    status: 'delivered',
    timestamp: String(1767600000 + i),
    recipient_id: '972540000000',
  }));
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'W', changes: [{ field: 'messages', value: { metadata: { phone_number_id: 'PN' }, statuses } }] }],
  });
}

function postRaw(agent: http.Agent, url: string, b: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(b, SECRET) } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(0)); // the process died mid-request: no answer, Meta would retry
    req.end(b);
  });
}

describe('durability', () => {
  it('kill -9 right after answering 200 loses nothing: every acknowledged event is in the inbox and gets processed after restart', async () => {
    const script = await buildReceiverChild();
    const dataDir = tempDataDir('pacer-wh-kill-');
    const env = { PACER_APP_SECRET: SECRET, PACER_DATA_DIR: '' };
    const first = await startChild(script, dataDir, env);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    const acknowledged: string[] = [];
    const TOTAL = 400;
    const KILL_AFTER = 150;
    let killed = false;
    await Promise.all(
      Array.from({ length: TOTAL }, async (_, i) => {
        const b = body(i);
        const status = await postRaw(agent, first.url, b);
        if (status === 200) {
          acknowledged.push(b);
          if (acknowledged.length === KILL_AFTER && !killed) {
            killed = true;
            first.child.kill('SIGKILL'); // in the same tick as the 200 arrived
          }
        }
      }),
    );
    agent.destroy();
    expect(await first.exited).toBe(null);
    expect(killed).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);

    const second = await startChild(script, dataDir, env);
    const db = openDataDirStore(dataDir, { readonly: true });
    try {
      const stored = new Set((db.prepare('SELECT body FROM webhook_inbox').all() as { body: Buffer }[]).map((r) => r.body.toString()));
      const lost = acknowledged.filter((b) => !stored.has(b));
      expect(lost.length, 'acknowledged bodies missing from the inbox').toBe(0);

      const expectedKeys = acknowledged.flatMap((b) =>
        (JSON.parse(b).entry[0].changes[0].value.statuses as { id: string; timestamp: string }[]).map(
          (s) => `status:${s.id}:delivered:${s.timestamp}`,
        ),
      );
      const keyCount = () =>
        (
          db
            .prepare('SELECT count(*) AS n FROM webhook_event_keys WHERE key IN (SELECT value FROM json_each(?))')
            .get(JSON.stringify(expectedKeys)) as { n: number }
        ).n;
      await waitFor(() => keyCount() === expectedKeys.length, 'the restarted receiver to process the backlog');
      expect(db.prepare("SELECT count(*) AS n FROM webhook_inbox WHERE state != 'processed'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
