import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RelayStore } from '../../../relay/src/store';

let store: RelayStore | null = null;
afterEach(() => {
  store?.close();
  store = null;
});
const open = () => (store = new RelayStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'relay-store-')), 'relay.db')));

describe('relay store', () => {
  it('fans each event out to every installation and deletes it only when all acknowledged', async () => {
    const s = open();
    const a = s.pair('a');
    const b = s.pair('b');
    expect(s.authenticate(a.token)).toBe(a.installation.id);
    expect(s.authenticate('prl_forged')).toBeNull();
    const id = await s.append(Buffer.from('{"object":"whatsapp_business_account"}'), 'sha256=00');
    expect(s.pending(a.installation.id, 10).map((e) => e.id)).toEqual([id]);
    expect(s.ack(a.installation.id, [id])).toBe(1);
    expect(s.ack(a.installation.id, [id])).toBe(0); // replayed ack: harmless
    expect(s.pending(a.installation.id, 10)).toEqual([]);
    expect(s.counts().events).toBe(1); // b has not acknowledged yet
    expect(s.ack(b.installation.id, [id, 'unknown-id'])).toBe(1);
    expect(s.counts().events).toBe(0);
  });

  it('offers unacknowledged events again, oldest first, with the original bytes and signature', async () => {
    const s = open();
    const { installation } = s.pair('a');
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await s.append(Buffer.from(`{"n":${i}}`), `sha256=${i}`));
    const first = s.pending(installation.id, 2);
    expect(first.map((e) => e.id)).toEqual(ids.slice(0, 2));
    expect(Buffer.from(first[0]!.body, 'base64').toString()).toBe('{"n":0}');
    expect(first[0]!.signature).toBe('sha256=0');
    expect(s.pending(installation.id, 10).map((e) => e.id)).toEqual(ids); // not acknowledged: offered again
  });

  it('unpairing drops that installation’s backlog but keeps what others still need', async () => {
    const s = open();
    const a = s.pair('a');
    const b = s.pair('b');
    const id = await s.append(Buffer.from('{}'), 'sha256=1');
    s.ack(b.installation.id, [id]);
    expect(s.unpair(a.installation.id)).toBe(true);
    expect(s.counts()).toEqual({ events: 0, installations: 1 });
  });
});
