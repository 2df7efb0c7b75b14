/**
 * The audit trail (issue #14 item 4) on a real core + Sandbox: every kind of action leaves one
 * entry with its source; entries never hold a secret; an erasure rewrites the person's earlier
 * entries to the keyed hash; list filters and the CSV export (neutralised) work through the
 * contract and the CLI.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/core/cli/index';
import type { CliIo } from '../../../electron/core/cli/io';
import type { AuditEntry } from '../../../shared/contract/privacy';
import { ok as okCampaign, runUntilDone, utilityDraft, world, type World } from '../campaigns/helpers';
import { importFile, ok, tempFile } from '../contacts/helpers';

const DANA = '+972502345678';

async function pacer(dataDir: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, untilSignal: () => new Promise(() => {}) };
  const code = await runCli(['--data-dir', dataDir, ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('audit trail', () => {
  let w: World | null = null;
  afterEach(async () => {
    await w?.close();
    w = null;
  });

  it('records imports, consent, exports, campaign and account actions, erasures — no secret, no erased number', async () => {
    w = await world();
    const core = w.core;
    const list = async (input: Record<string, unknown> = {}) =>
      (await ok(core.call('audit:list', input as never))) as { total: number; rows: AuditEntry[] };
    const file = tempFile('=HYPERLINK("x").csv', 'name,phone\nDana Levi,050-234-5678\nYossi Cohen,052-987-6543\n');
    await importFile(core, file, { consent: 'utility' });
    await ok(core.call('contacts:opt-out', { contact: { phone: DANA }, category: 'marketing', reason: 'asked by phone' }));
    await ok(core.call('contacts:export', { format: 'csv' }));
    await ok(core.call('contacts:subject-export', { phone: DANA }));
    const c = await okCampaign(w.core.call('campaigns:create', utilityDraft({ options: { rate: 1 } })));
    await okCampaign(core.call('campaigns:start', { id: c.id }));
    await okCampaign(core.call('campaigns:pause', { id: c.id }));
    await okCampaign(core.call('campaigns:resume', { id: c.id }));
    await runUntilDone(w, c.id);
    await okCampaign(core.call('campaigns:resend', { id: c.id, which: 'failed' }));
    await ok(core.call('campaigns:export', { id: c.id, format: 'csv' }));
    // A refused call records nothing.
    expect((await core.call('campaigns:cancel', { id: 'nope' })).ok).toBe(false);

    const all = await list({ limit: 500 });
    const actions = all.rows.map((r) => r.action).reverse();
    expect(actions).toEqual([
      'account.connected',
      'contacts.imported',
      'consent.opted_out',
      'contacts.exported',
      'contacts.subject_exported',
      'campaign.started',
      'campaign.paused',
      'campaign.resumed',
      'campaign.resent',
      'campaigns.exported',
    ]);
    const by = (a: string) => all.rows.find((r) => r.action === a)!;
    expect(by('contacts.imported')).toMatchObject({ subject: '=HYPERLINK("x").csv', detail: { format: 'csv', counts: { imported: 2 } } });
    expect(by('consent.opted_out')).toMatchObject({ subject: DANA, detail: { category: 'marketing', source: 'manual' } });
    expect(by('campaign.started')).toMatchObject({ subject: c.id, detail: { name: 'Reminders' } });
    // Every entry of a campaign names it: a search of the trail by its name finds them all.
    expect(by('campaign.resent')).toMatchObject({ subject: c.id, detail: { name: 'Reminders' } });
    expect(by('campaigns.exported')).toMatchObject({ subject: c.id, detail: { name: 'Reminders' } });
    expect((await list({ text: 'reminders' })).rows.map((r) => r.action).reverse()).toEqual([
      'campaign.started',
      'campaign.paused',
      'campaign.resumed',
      'campaign.resent',
      'campaigns.exported',
    ]);
    expect(by('account.connected')).toMatchObject({ detail: { mode: 'live', graph_origin: new URL(w.sandbox.baseUrl).origin } });

    // Never a secret (the Sandbox's token and app secret), anywhere in the trail.
    const text = JSON.stringify(all.rows);
    for (const s of [w.sandbox.credentials.accessToken, w.sandbox.credentials.appSecret]) expect(text).not.toContain(s);

    // Filters: action, date range, text.
    expect((await list({ actions: ['campaign.paused', 'campaign.resumed'] })).total).toBe(2);
    expect((await list({ text: 'hyperlink' })).rows.map((r) => r.action)).toEqual(['contacts.imported']);
    const t = by('contacts.exported').at;
    expect((await list({ from: t, to: t })).rows.every((r) => r.at === t)).toBe(true);
    expect((await list({ from: Date.now() + 86_400_000 })).total).toBe(0);

    // Erasure: Dana's earlier entries now name the keyed hash; the number is nowhere in the trail.
    await ok(core.call('contacts:delete', { phone: DANA }));
    const after = await list({ limit: 500 });
    const hash = after.rows.find((r) => r.action === 'contact.erased')!.subject!;
    expect(hash).toMatch(/^[\w-]{43}$/);
    expect(
      after.rows
        .filter((r) => r.subject === hash)
        .map((r) => r.action)
        .sort(),
    ).toEqual(['consent.opted_out', 'contact.erased', 'contacts.subject_exported']);
    expect(JSON.stringify(after.rows)).not.toContain('502345678');

    // CSV export: neutralised cells, audited itself.
    const csv = await ok(core.call('audit:export', { actions: ['contacts.imported'] }));
    const lines = csv.content
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('at,actor,action,subject,detail');
    expect(lines[1]).toContain(`,"'=HYPERLINK(""x"").csv",`);
    expect((await list({ actions: ['audit.exported'] })).rows[0]).toMatchObject({ detail: { format: 'csv', rows: 1 } });
  }, 60_000);

  it('pacer audit list / export (CLI) with filters', async () => {
    w = await world({ webhooks: false });
    await importFile(w.core, tempFile('people.csv', 'name,phone\nDana,050-234-5678\n'));
    await ok(w.core.call('contacts:opt-out', { contact: { phone: DANA }, category: 'all' }));
    const dir = w.dataDir;
    await w.close();
    w = null;
    const l = await pacer(dir, 'audit', 'list', '--action', 'consent.opted_out', '--json');
    expect(l.code).toBe(0);
    const parsed = JSON.parse(l.out) as { total: number; rows: AuditEntry[] };
    expect(parsed.total).toBe(2); // marketing and utility
    expect(parsed.rows.every((r) => r.subject === DANA)).toBe(true);
    const human = await pacer(dir, 'audit', 'list', '--text', 'people.csv');
    expect(human.out).toContain('contacts.imported');
    expect(human.out).toMatch(/1 of 1 entry$/);
    const out = path.join(dir, 'audit.csv');
    const e = await pacer(dir, 'audit', 'export', '--from', '2000-01-01', '--to', '2999-12-31', '--out', out);
    expect(e.code).toBe(0);
    expect(e.err).toMatch(/^Exported \d+ audit entries to /);
    expect((await pacer(dir, 'audit', 'list', '--from', 'yesterday-ish')).code).not.toBe(0);
  }, 60_000);
});
