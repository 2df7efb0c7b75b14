/**
 * Header media from a local file: `pacer campaign create --header-media FILE` uploads it to the
 * sandbox (POST /{phone-number-id}/media) and every send's header parameter carries that media id;
 * the contract method the builder uses (`campaigns:upload-media`) checks the file's content; an id
 * nearing Meta's 30 days is uploaded again before a start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import type { MessageRecord } from '../../../electron/core/sandbox/index';
import { tempDataDir } from '../../support/harness';
import { cliWorld, createArgs, ok, phoneOf, runUntilDone, seedContacts, world, type World } from './helpers';

/** A real (tiny) JPEG: SOI, APP0/JFIF, and EOI — what matters here is the signature and the bytes. */
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0'),
  Buffer.alloc(200, 7),
  Buffer.from([0xff, 0xd9]),
]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

function file(name: string, bytes: Buffer): string {
  const dir = tempDataDir('pacer-media-');
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

/** The header of a send as the sandbox accepted it (it checks the media id was uploaded to it). */
const headerOf = (m: MessageRecord) => m.rendered?.header ?? null;

describe('pacer campaign create --header-media FILE (sandbox)', () => {
  const w = cliWorld();
  const { cli, dataDir } = w;

  beforeAll(() => w.start({ tier: 'TIER_10K', seed: (core) => seedContacts(core, 5, { consent: 'marketing', tag: 'spring' }) }));
  afterAll(() => w.close());

  it('uploads the image once and every send carries its media id in the header parameter', async () => {
    const image = file('tent.jpg', JPEG);
    const created = JSON.parse(
      (
        await cli([
          ...createArgs('Spring', 'spring_sale', 'tag:spring', {
            first_name: 'first_name|"friend"',
            discount: '"20%"',
            end_date: '"April 30"',
          }),
          ...['--header-media', image, '--json'],
        ])
      ).out.join('\n'),
    ) as {
      id: string;
      header_media: { id: string; file_name: string; mime_type: string; size: number; sha256: string; uploaded_at: number };
    };
    const media = created.header_media;
    expect(media).toMatchObject({
      file_name: 'tent.jpg',
      mime_type: 'image/jpeg',
      size: JPEG.length,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(media.id).toMatch(/^7\d+$/);
    await cli(['campaign', 'start', created.id]);
    await cli(['run', '--until-idle', '--webhook-port', '0', '--json']);
    const sends = w.sandbox.messages().filter((m) => m.template?.name === 'spring_sale');
    expect(sends).toHaveLength(5);
    for (const m of sends) expect(headerOf(m)).toEqual({ format: 'IMAGE', id: media.id });
    expect(sends.map((m) => `+${m.wa_id}`).sort()).toEqual([0, 1, 2, 3, 4].map(phoneOf).sort());
    // A copy is kept for a later re-upload (Meta keeps media ids 30 days).
    expect(fs.readFileSync(path.join(dataDir, 'media', media.sha256))).toEqual(JPEG);
  });

  it('refuses a file that is not an image/video/PDF, whatever its name says', async () => {
    const fake = file('photo.jpg', Buffer.from('GIF89a not really'));
    const r = await cli(
      [
        ...createArgs('X', 'spring_sale', 'all', { first_name: 'first_name|"friend"', discount: '"1"', end_date: '"x"' }),
        '--header-media',
        fake,
      ],
      2,
    );
    expect(r.err.join('\n')).toMatch(/photo\.jpg is not a JPEG or PNG image, an MP4\/3GP video or a PDF document/);
  });
});

describe("campaigns:upload-media (the builder's path)", () => {
  let w: World | null = null;
  afterEach(async () => {
    await w?.close();
    w = null;
  });

  it('a PDF for a document header: kind checked, uploaded, sent by id; an image for it is refused', async () => {
    w = await world();
    seedContacts(w.core, 3, { consent: 'marketing' });
    const pdf = w.core.ctx.files.stagePath(file('Summer catalog.pdf', PDF));
    const media = await ok(w.core.call('campaigns:upload-media', { fileId: pdf.fileId, kind: 'document' }));
    expect(media).toMatchObject({ file_name: 'Summer catalog.pdf', mime_type: 'application/pdf', size: PDF.length });
    const jpeg = w.core.ctx.files.stagePath(file('tent.jpg', JPEG));
    const wrong = await w.core.call('campaigns:upload-media', { fileId: jpeg.fileId, kind: 'document' });
    expect(wrong).toMatchObject({ ok: false, code: 'bad_input', message: "tent.jpg is an image; this template's header needs a document" });

    const c = await ok(
      w.core.call('campaigns:create', {
        name: 'Catalog',
        template: { name: 'catalog_pdf', language: 'en_US' },
        audience: 'all',
        params: { 1: 'first_name|"friend"' },
        header_media: media,
      }),
    );
    expect(c.header_media).toEqual(media);
    await ok(w.core.call('campaigns:start', { id: c.id }));
    expect((await runUntilDone(w, c.id)).state).toBe('completed');
    const sends = w.sandbox.messages().filter((m) => m.template?.name === 'catalog_pdf');
    expect(sends).toHaveLength(3);
    for (const m of sends) expect(headerOf(m)).toEqual({ format: 'DOCUMENT', id: media.id });
  });

  it('an id 23+ days old is uploaded again before the start; an expired one without its copy blocks the plan', async () => {
    const clock = new FakeClock();
    w = await world({ clock });
    seedContacts(w.core, 2, { consent: 'marketing' });
    const staged = w.core.ctx.files.stagePath(file('tent.jpg', JPEG));
    const media = await ok(w.core.call('campaigns:upload-media', { fileId: staged.fileId, kind: 'image' }));
    const draft = {
      name: 'Later',
      template: { name: 'spring_sale', language: 'en_US' },
      audience: 'all',
      params: { first_name: 'first_name|"friend"', discount: '"20%"', end_date: '"April 30"' },
      header_media: media,
    };
    const c = await ok(w.core.call('campaigns:create', draft));
    await clock.advance(24 * 86_400_000);
    const started = await ok(w.core.call('campaigns:start', { id: c.id }));
    const fresh = started.header_media as typeof media;
    expect(fresh.id).not.toBe(media.id);
    expect(fresh).toMatchObject({ sha256: media.sha256, file_name: 'tent.jpg', uploaded_at: clock.now() });

    // 31 days on, with the kept copy gone: the plan says why it cannot start.
    const old = await ok(w.core.call('campaigns:create', { ...draft, name: 'Too old' }));
    await clock.advance(31 * 86_400_000);
    fs.rmSync(path.join(w.dataDir, 'media', media.sha256));
    const plan = await ok(w.core.call('campaigns:plan', { id: old.id }));
    const uploadedOn = new Date(media.uploaded_at).toISOString().slice(0, 10);
    expect(plan.blockers).toContainEqual({
      code: 'header_media_expired',
      params: { uploaded_on: uploadedOn, days: 30 },
      message: `header media was uploaded on ${uploadedOn} and WhatsApp keeps uploaded media 30 days: upload the file again`,
    });
  });
});
