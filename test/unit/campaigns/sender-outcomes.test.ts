/**
 * What the sender does with each kind of answer, through the real GraphClient over real HTTP to a
 * small server on 127.0.0.1 that answers as told: a request that was written and never answered
 * (a stop's grace runs out) ends uncertain and is never sent again; a WABA rate limit (80007) backs
 * off for minutes; a proxy's 401 without a Graph body halts instead of retrying; an expired token
 * seen by a send is reported to the account.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CampaignsService } from '../../../electron/core/campaigns/service';
import { contactsFromService } from '../../../electron/core/campaigns/ports-live';
import type { AccountPort, TemplatesPort } from '../../../electron/core/campaigns/ports';
import { systemClock } from '../../../electron/core/clock';
import { createCore, type Core } from '../../../electron/core/index';
import { silentLogger } from '../../../electron/core/log';
import { MemoryVault } from '../../../electron/core/secrets/vault';
import { MemorySettingsStore } from '../../../electron/core/settings/store';
import { GraphClient, type GraphApiError } from '../../../electron/core/whatsapp/client';
import { tempDataDir } from '../../support/harness';
import { seedContacts } from '../../integration/campaigns/helpers';

type Mode = 'hang' | 'ok' | 'waba_limit' | 'proxy_401' | 'token_expired';

interface Rig {
  core: Core;
  svc: CampaignsService;
  requests: () => number;
  noted: GraphApiError[];
  setMode(m: Mode): void;
  close(): Promise<void>;
}

const TEMPLATE = {
  name: 'appointment_reminder',
  language: 'en_US',
  status: 'APPROVED',
  category: 'UTILITY',
  quality: 'GREEN',
  parameter_format: 'POSITIONAL' as const,
  components: [{ type: 'BODY', text: 'Hi {{1}}', example: { body_text: [['Dana']] } }],
};

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

async function makeRig(contacts: number): Promise<Rig> {
  let mode: Mode = 'ok';
  let requests = 0;
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (mode === 'hang') {
        open.add(res);
        return;
      } // written, read, never answered
      if (mode === 'ok')
        return json(200, {
          messaging_product: 'whatsapp',
          contacts: [{ input: 'x', wa_id: 'x' }],
          messages: [{ id: `wamid.${requests}` }],
        });
      if (mode === 'waba_limit') return json(400, { error: { code: 80007, message: 'Rate limit issues' } });
      if (mode === 'token_expired') return json(401, { error: { code: 190, message: 'Error validating access token' } });
      res.writeHead(401, { 'content-type': 'text/html' });
      res.end('<html>Proxy authentication required</html>');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const core = createCore({
    dataDir: tempDataDir('pacer-sender-'),
    host: 'cli',
    clock: systemClock,
    secrets: new MemoryVault(),
    settings: new MemorySettingsStore(),
    log: silentLogger,
  });
  seedContacts(core, contacts, { consent: 'utility' });
  const client = new GraphClient({
    baseUrl,
    apiVersion: 'v24.0',
    token: () => 'T',
    fetch: core.ctx.graphFetch,
    clock: systemClock,
    retries: 0,
    timeoutMs: 30_000,
  });
  const noted: GraphApiError[] = [];
  const account: AccountPort = {
    messagingLimit: () => 'TIER_100K',
    defaultPhoneNumberId: () => '1000',
    numberQuality: () => 'GREEN',
    sendBlocker: () => null,
    noteSendError: (e) => {
      noted.push(e);
    },
    send: (phoneNumberId, body, signal) => client.sendTemplate(phoneNumberId, body, signal),
  };
  const templates: TemplatesPort = { get: () => TEMPLATE };
  const svc = new CampaignsService(core.ctx, { contacts: contactsFromService(core.ctx, core.services.contacts), templates, account });
  return {
    core,
    svc,
    noted,
    requests: () => requests,
    setMode: (m) => {
      mode = m;
    },
    async close() {
      await svc.stopEngine();
      for (const res of open) res.destroy();
      await new Promise((r) => server.close(r));
      await core.close();
    },
  };
}

async function startCampaign(r: Rig): Promise<string> {
  const c = r.svc.create({
    name: 'Unit',
    template: { name: 'appointment_reminder', language: 'en_US' },
    audience: 'all',
    params: { 1: 'first_name|"friend"' },
    options: { rate: 1000 },
  } as never);
  await r.svc.start(c.id);
  return c.id;
}

const rows = (core: Core, id: string) =>
  core.db
    .prepare('SELECT state, attempts, not_before, error_code, error_detail FROM campaign_recipients WHERE campaign_id = ? ORDER BY id')
    .all(id) as { state: string; attempts: number; not_before: number | null; error_code: number | null; error_detail: string | null }[];

async function waitFor(pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('sender outcomes through the real Graph client', () => {
  it('a clean stop while Meta has the request but has not answered records it uncertain, and a restart never sends it again', async () => {
    rig = await makeRig(3);
    rig.setMode('hang');
    const id = await startCampaign(rig);
    rig.svc.startEngine({ stopGraceMs: 100 });
    await waitFor(() => rig!.requests() === 3);
    await rig.svc.stopEngine();
    const after = rows(rig.core, id);
    expect(after.map((r) => r.state)).toEqual(['uncertain', 'uncertain', 'uncertain']);
    expect(after[0]!.error_detail).toMatch(/no reliable answer/);
    rig.setMode('ok');
    rig.svc.startEngine({ stopGraceMs: 100 });
    await new Promise((r) => setTimeout(r, 500));
    expect(rig.requests()).toBe(3);
    expect(rows(rig.core, id).map((r) => r.state)).toEqual(['uncertain', 'uncertain', 'uncertain']);
  });

  it('80007 (WABA rate limit) backs off for minutes, not seconds', async () => {
    rig = await makeRig(1);
    rig.setMode('waba_limit');
    const id = await startCampaign(rig);
    const t0 = Date.now();
    rig.svc.startEngine({ backoffBaseMs: 100, backoffCapMs: 1000 });
    await waitFor(() => rows(rig!.core, id)[0]!.error_code === 80007);
    const [row] = rows(rig.core, id);
    expect(row!.state).toBe('pending');
    expect(row!.not_before! - t0).toBeGreaterThanOrEqual(0.75 * 5 * 60_000 - 1000);
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.requests()).toBe(1);
  });

  it('a 401 without a Graph error (a proxy, a wrong address) pauses everything instead of retrying 6 times', async () => {
    rig = await makeRig(2);
    rig.setMode('proxy_401');
    const id = await startCampaign(rig);
    rig.svc.startEngine({ backoffBaseMs: 10, backoffCapMs: 20 });
    await waitFor(() => rig!.svc.get(id).state === 'paused');
    expect(rig.svc.get(id).pause_reason).toBe('account_halted');
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.requests()).toBeLessThanOrEqual(2);
    expect(rows(rig.core, id).every((r) => r.state === 'pending')).toBe(true);
    expect(rig.noted.map((e) => e.httpStatus)).toContain(401);
  });

  it('an expired token seen by a send is reported to the account (which the account page and Resume read)', async () => {
    rig = await makeRig(1);
    rig.setMode('token_expired');
    const id = await startCampaign(rig);
    rig.svc.startEngine({});
    await waitFor(() => rig!.svc.get(id).state === 'paused');
    expect(rig.noted.map((e) => e.code)).toEqual([190]);
  });
});
