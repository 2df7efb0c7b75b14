/**
 * Message time-to-live on template creation (issue #13; reference §2.4 `message_send_ttl_seconds`,
 * §11 marketing TTL 12 h–30 days): the editor's draft sends it for MARKETING only, and the Sandbox
 * accepts it in Meta's range, stores it, answers it when asked for the field, and refuses it outside.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import { SANDBOX_WABA_ID, startSandbox, type SandboxHandle } from '../../../electron/core/sandbox';
import { draftToCreateRequest, emptyDraft, validateDraft, type TemplateDraft } from '../../../shared/templates/draft';
import { graph } from './helpers';
import { draftFromFile } from '../../../electron/core/cli/commands/templates';

let sb: SandboxHandle | null = null;
afterEach(async () => {
  await sb?.close();
  sb = null;
});

const draft = (over: Partial<TemplateDraft>): TemplateDraft => ({
  ...emptyDraft('en_US'),
  name: 'flash_offer',
  body: { text: 'Hi {{1}}, 30% off until midnight.', examples: { '1': 'Dana' } },
  ...over,
});

describe('template TTL', () => {
  it('the draft carries message_send_ttl_seconds for MARKETING only, checked against Meta’s range', () => {
    expect(draftToCreateRequest(draft({ ttlSeconds: 86_400 })).message_send_ttl_seconds).toBe(86_400);
    expect(draftToCreateRequest(draft({})).message_send_ttl_seconds).toBeUndefined();
    expect('message_send_ttl_seconds' in draftToCreateRequest(draft({ category: 'UTILITY', ttlSeconds: 86_400 }))).toBe(false);
    const codes = (d: TemplateDraft) => validateDraft(d).map((i) => `${i.field}:${i.code}`);
    expect(codes(draft({ ttlSeconds: 43_200 }))).toEqual([]);
    expect(codes(draft({ ttlSeconds: 2_592_000 }))).toEqual([]);
    expect(codes(draft({ ttlSeconds: 43_199 }))).toEqual(['ttl:ttl_range']);
    expect(codes(draft({ ttlSeconds: 2_592_001 }))).toEqual(['ttl:ttl_range']);
  });

  it('`pacer templates create FILE.json` reads message_send_ttl_seconds from the create body', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-ttl-')), 'flash.json');
    fs.writeFileSync(file, JSON.stringify({ ...draftToCreateRequest(draft({})), message_send_ttl_seconds: 172_800 }));
    const d = draftFromFile(file, () => 'unused');
    expect(d.ttlSeconds).toBe(172_800);
    expect(draftToCreateRequest(d).message_send_ttl_seconds).toBe(172_800);
  });

  it('the Sandbox stores an accepted TTL and refuses one outside 12 h–30 days', async () => {
    sb = await startSandbox({ clock: new FakeClock() });
    const ok = await graph(sb, 'POST', `/v24.0/${SANDBOX_WABA_ID}/message_templates`, draftToCreateRequest(draft({ ttlSeconds: 86_400 })));
    expect(ok.status).toBe(200);
    const listed = await graph(sb, 'GET', `/v24.0/${SANDBOX_WABA_ID}/message_templates?fields=name,message_send_ttl_seconds&limit=100`);
    expect(listed.body.data.find((t: { name: string }) => t.name === 'flash_offer')).toMatchObject({ message_send_ttl_seconds: 86_400 });

    const short = await graph(sb, 'POST', `/v24.0/${SANDBOX_WABA_ID}/message_templates`, {
      ...draftToCreateRequest(draft({ name: 'flash_short' })),
      message_send_ttl_seconds: 3600,
    });
    expect(short.status).toBe(400);
    expect(short.body.error).toMatchObject({ code: 100, error_subcode: 2388043 });
    expect(short.body.error.message).toMatch(/message_send_ttl_seconds must be 43200 to 2592000/);
  });
});
