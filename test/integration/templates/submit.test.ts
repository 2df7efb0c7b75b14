import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testCore } from '../../support/core';
import { WebhookConfig } from '../../../electron/core/webhooks/config';
import type { TemplateDraft } from '../../../shared/templates/draft';

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function sandboxCore() {
  const c = testCore();
  cleanup.push(() => c.close());
  const r = await c.call('account:use-sandbox', {});
  expect(r.ok).toBe(true);
  return c;
}

const draft = (over: Partial<TemplateDraft> = {}): TemplateDraft => ({
  name: 'winter_offer',
  language: 'en_US',
  category: 'MARKETING',
  parameterFormat: 'positional',
  header: { format: 'TEXT', text: 'Hello {{1}}', example: 'Dana' },
  body: { text: 'Hi {{1}}, our winter collection is here with {{2}} off today.', examples: { '1': 'Dana', '2': '20%' } },
  footer: 'Reply STOP to opt out',
  buttons: [
    { type: 'URL', text: 'Shop now', url: 'https://shop.example.com/w/{{1}}', example: 'https://shop.example.com/w/abc' },
    { type: 'QUICK_REPLY', text: 'Stop offers', optOut: true },
  ],
  ...over,
});

describe('template submission against the Sandbox (Business Management API)', () => {
  it('a submitted template is PENDING, then APPROVED after review; the opt-out button joins the opt-out rules', async () => {
    const c = await sandboxCore();
    const created = await c.call('templates:create', { draft: draft() });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.value).toMatchObject({ name: 'winter_offer', status: 'PENDING', category: 'MARKETING', variables: ['1', '2'] });
    expect(new WebhookConfig(c.ctx.db, c.ctx.dataDir).optOutRules().buttons).toContain('Stop offers');
    await c.clock.advance(6_000);
    const synced = await c.call('templates:sync', {});
    expect(synced.ok).toBe(true);
    const after = await c.call('templates:get', { id: created.value.id });
    expect(after.ok && after.value.status).toBe('APPROVED');
    expect(after.ok && after.value.history.some((h) => h.kind === 'status' && h.to === 'APPROVED')).toBe(true);
  });

  it('a utility template that reads as promotion comes back REJECTED with its reason; editing sends it back to review', async () => {
    const c = await sandboxCore();
    const d = draft({
      name: 'order_note',
      category: 'UTILITY',
      header: undefined,
      buttons: [],
      body: { text: 'Your order {{1}} shipped. Big sale today on everything!', examples: { '1': 'A-17' } },
    });
    const created = await c.call('templates:create', { draft: d });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    await c.clock.advance(6_000);
    await c.call('templates:sync', {});
    const rejected = await c.call('templates:get', { id: created.value.id });
    expect(rejected.ok && rejected.value).toMatchObject({ status: 'REJECTED', rejectedReason: 'INCORRECT_CATEGORY' });

    const edited = await c.call('templates:edit', {
      id: created.value.id,
      draft: { ...d, body: { text: 'Your order {{1}} shipped and arrives tomorrow.', examples: { '1': 'A-17' } } },
    });
    expect(edited.ok && edited.value.status).toBe('PENDING');
    await c.clock.advance(6_000);
    await c.call('templates:sync', {});
    const approved = await c.call('templates:get', { id: created.value.id });
    expect(approved.ok && approved.value.status).toBe('APPROVED');
  });

  it('rules are checked before anything goes out: every problem comes back as a code, nothing is created', async () => {
    const c = await sandboxCore();
    const before = await c.call('templates:list', {});
    const bad = await c.call('templates:create', {
      draft: draft({ name: 'Bad Name', body: { text: '{{2}} is your code {{1}}', examples: { '1': 'x' } } }),
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.code).toBe('bad_input');
    const codes = (bad.details as { issues: { code: string }[] }).issues.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['name_format', 'positional_order', 'variable_at_edge', 'example_missing']));
    const after = await c.call('templates:list', {});
    expect(after.ok && before.ok && after.value.length).toBe(before.ok ? before.value.length : -1);
  });

  it("Meta refuses a second template with the same name and language; the refusal is bad_input with Meta's words", async () => {
    const c = await sandboxCore();
    expect((await c.call('templates:create', { draft: draft() })).ok).toBe(true);
    const again = await c.call('templates:create', { draft: draft() });
    expect(again.ok).toBe(false);
    if (again.ok) return;
    expect(again.code).toBe('bad_input');
    expect(again.details).toMatchObject({ reason: 'meta_refused', graph: { code: 100, subcode: 2388024 } });
    // The same name in another language is a new template (duplicate to another language).
    const he = await c.call('templates:create', {
      draft: draft({
        language: 'he',
        body: { text: 'שלום {{1}}, קולקציית החורף כאן עם {{2}} הנחה היום.', examples: { '1': 'דנה', '2': '20%' } },
      }),
    });
    expect(he.ok && he.value.language).toBe('he');
  });

  it('an image header is uploaded through the resumable upload API and its handle is the example', async () => {
    const c = await sandboxCore();
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f40000000049454e44ae426082',
      'hex',
    );
    const file = path.join(c.ctx.dataDir, 'banner.png');
    fs.writeFileSync(file, png);
    const staged = c.ctx.files.stagePath(file);
    const created = await c.call('templates:create', {
      draft: draft({ name: 'winter_banner', header: { format: 'IMAGE', fileId: staged.fileId } }),
    });
    expect(created.ok).toBe(true);
    expect(created.ok && created.value.headerFormat).toBe('IMAGE');
    const noFile = await c.call('templates:create', { draft: draft({ name: 'winter_banner2', header: { format: 'IMAGE' } }) });
    expect(!noFile.ok && (noFile.details as { issues: { code: string }[] }).issues.map((i) => i.code)).toContain('header_media_missing');
  });

  it('deleting a name removes every language of it', async () => {
    const c = await sandboxCore();
    await c.call('templates:create', { draft: draft() });
    await c.call('templates:create', {
      draft: draft({
        language: 'he',
        body: { text: 'שלום {{1}}, קולקציית החורף כאן עם {{2}} הנחה היום.', examples: { '1': 'דנה', '2': '20%' } },
      }),
    });
    const del = await c.call('templates:delete', { name: 'winter_offer' });
    expect(del.ok && del.value.deleted.length).toBe(2);
    const list = await c.call('templates:list', {});
    expect(list.ok && list.value.filter((t) => t.name === 'winter_offer')).toEqual([]);
  });

  it('a delete made while a sync is under way stays deleted: the older run never writes its list over the newer one', async () => {
    // The first template list asked for is fetched at once but answered late, as a slow network would.
    let held: Promise<void> | null = null;
    let release = () => {};
    let fetchedEarly = false;
    let deleteSent = false;
    const slow = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      if (method === 'DELETE') deleteSent = true;
      if (held && !fetchedEarly && method === 'GET' && new URL(String(input)).pathname.endsWith('/message_templates')) {
        fetchedEarly = true;
        const res = await globalThis.fetch(input, init);
        await held;
        return res;
      }
      return globalThis.fetch(input, init);
    }) as typeof fetch;
    const c = testCore({ fetch: slow });
    cleanup.push(() => c.close());
    expect((await c.call('account:use-sandbox', {})).ok).toBe(true);
    await c.call('templates:create', { draft: draft() });
    held = new Promise<void>((r) => (release = r));
    const older = c.call('templates:sync', {});
    const until = async (cond: () => boolean) => {
      while (!cond()) await new Promise((r) => setTimeout(r, 5));
    };
    await until(() => fetchedEarly);
    const del = c.call('templates:delete', { name: 'winter_offer' });
    await until(() => deleteSent);
    release();
    expect((await del).ok).toBe(true);
    expect((await older).ok).toBe(true);
    const list = await c.call('templates:list', {});
    expect(list.ok && list.value.filter((t) => t.name === 'winter_offer')).toEqual([]);
  });
});
