/**
 * Header media from a file (a template whose header is an IMAGE, VIDEO or DOCUMENT).
 *
 * The builder (or `pacer campaign create --header-media FILE`) hands a staged file to
 * `uploadHeaderMedia`: its type is read from its first bytes (JPEG, PNG, MP4/3GP, PDF — never from
 * the name alone), checked against the template header's kind and Meta's size limits, kept in
 * DATA_DIR/media/<sha256> and uploaded with POST /{phone-number-id}/media. The answer's media id
 * goes into the campaign's `header_media` ({ id, file_name, mime_type, size, sha256, uploaded_at })
 * and every send's header parameter is `{ type: 'image', image: { id } }` (params.ts).
 *
 * Meta keeps an uploaded media id for 30 days. `refreshHeaderMedia` (run before a campaign starts)
 * uploads the kept copy again when the id is older than REFRESH_AFTER_DAYS, so a draft saved weeks
 * ago or a duplicated campaign still sends its picture; `headerMediaProblem` blocks a start when
 * the id has expired and no copy is left.
 */
import type { PlanBlocker, UploadedHeaderMedia } from '../../../shared/contract/campaigns';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CoreContext } from '../context';
import { headerMediaOf, setHeaderMedia } from './store/campaigns';
import { badInput, notFound, PacerError } from '../errors';
import type { GraphClient } from '../whatsapp/client';
import { HEADER_MEDIA_TYPES as TYPES, sniffMediaType, type HeaderKind } from '../files/media-type';

export { sniffMediaType, type HeaderKind };

/** As the campaign keeps it in `header_media` (the contract's shape). */
export type UploadedMedia = UploadedHeaderMedia;

const DAY_MS = 86_400_000;
/** Meta deletes uploaded media 30 days after the upload. */
export const MEDIA_ID_DAYS = 30;
/** A start re-uploads the kept copy from this age on (a margin for a campaign that runs a few days). */
export const REFRESH_AFTER_DAYS = 23;

const mediaDir = (ctx: CoreContext) => path.join(ctx.dataDir, 'media');

function keptCopy(ctx: CoreContext, sha256: string): string | null {
  if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
  const file = path.join(mediaDir(ctx), sha256);
  return fs.existsSync(file) ? file : null;
}

/** What uploading needs of the account: a ready client and the connection's default number (AccountService). */
export interface MediaAccount {
  ready(): Promise<GraphClient>;
  connection(): { phone_number_id: string } | null;
}

async function sendingNumber(account: MediaAccount | null, phoneNumberId: string | null | undefined) {
  if (!account) throw new PacerError('unavailable', 'No WhatsApp account service: header media cannot be uploaded');
  const client = await account.ready();
  const number = phoneNumberId ?? account.connection()?.phone_number_id;
  if (!number) throw new PacerError('conflict', 'Connect an account first: header media is uploaded to the sending number');
  return { client, number };
}

/**
 * Checks a staged file (type by content, size), keeps a copy and uploads it to the sending number.
 * `kind`: the template header's kind, when known (a PDF for an image header is refused).
 */
export async function uploadHeaderMedia(
  ctx: CoreContext,
  account: MediaAccount,
  input: { fileId: string; kind?: HeaderKind | undefined; phone_number_id?: string | null | undefined },
): Promise<UploadedMedia> {
  const staged = ctx.files.get(input.fileId);
  const bytes = fs.readFileSync(staged.path);
  if (!bytes.length) throw badInput(`${staged.name} is empty`);
  const mime = sniffMediaType(bytes.subarray(0, 16));
  const type = mime ? TYPES[mime] : undefined;
  if (!mime || !type) throw badInput(`${staged.name} is not a JPEG or PNG image, an MP4/3GP video or a PDF document`);
  if (input.kind && type.kind !== input.kind)
    throw badInput(
      `${staged.name} is ${type.kind === 'image' ? 'an image' : `a ${type.kind}`}; this template's header needs ${input.kind === 'image' ? 'an image' : `a ${input.kind}`}`,
    );
  if (bytes.length > type.maxMb * 1024 * 1024)
    throw badInput(`${staged.name} is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; WhatsApp takes ${mime} files up to ${type.maxMb} MB`);
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  fs.mkdirSync(mediaDir(ctx), { recursive: true, mode: 0o700 });
  const copy = path.join(mediaDir(ctx), sha256);
  if (!fs.existsSync(copy)) fs.writeFileSync(copy, bytes, { mode: 0o600 });
  const { client, number } = await sendingNumber(account, input.phone_number_id);
  const fileName = path.basename(staged.name).replace(/\.[^.]*$/, '') + type.ext;
  const { id } = await client.uploadMedia(number, { bytes, mimeType: mime, filename: fileName });
  return { id, file_name: staged.name, mime_type: mime, size: bytes.length, sha256, uploaded_at: ctx.clock.now() };
}

type HeaderMedia = { link: string } | ({ id: string } & Partial<Omit<UploadedMedia, 'id'>>) | null | undefined;

/**
 * A start blocker for an uploaded header file: of the wrong kind for the template's header, or its
 * media id expired with no kept copy to upload again.
 */
export function headerMediaProblem(ctx: CoreContext, media: HeaderMedia, now: number, format?: HeaderKind | null): PlanBlocker | null {
  if (!media || !('id' in media)) return null;
  const kind = media.mime_type ? TYPES[media.mime_type]?.kind : undefined;
  if (format && kind && kind !== format) {
    const file = media.file_name ?? media.id;
    const message = `header media ${file} is ${kind === 'image' ? 'an image' : `a ${kind}`}; the template's header needs ${format === 'image' ? 'an image' : `a ${format}`}`;
    return { code: 'header_media_kind', params: { file, kind, format }, message };
  }
  if (media.uploaded_at === undefined) return null;
  if (now - media.uploaded_at < MEDIA_ID_DAYS * DAY_MS) return null;
  if (media.sha256 && keptCopy(ctx, media.sha256)) return null; // refreshed when the campaign starts
  const day = new Date(media.uploaded_at).toISOString().slice(0, 10);
  const message = `header media was uploaded on ${day} and WhatsApp keeps uploaded media ${MEDIA_ID_DAYS} days: upload the file again`;
  return { code: 'header_media_expired', params: { uploaded_on: day, days: MEDIA_ID_DAYS }, message };
}

/**
 * Before a start: uploads the kept copy again when the media id is REFRESH_AFTER_DAYS old or more,
 * and stores the new id on the campaign. Answers the new media, or null when nothing was due.
 */
export async function refreshHeaderMedia(
  ctx: CoreContext,
  account: MediaAccount | null,
  campaignId: string,
): Promise<UploadedMedia | null> {
  const row = headerMediaOf(ctx.db, campaignId);
  if (!row) throw notFound(`No campaign ${campaignId}`);
  if (!row.header_media) return null;
  const media = JSON.parse(row.header_media) as HeaderMedia;
  if (!media || !('id' in media) || media.uploaded_at === undefined || !media.sha256) return null;
  const now = ctx.clock.now();
  if (now - media.uploaded_at < REFRESH_AFTER_DAYS * DAY_MS) return null;
  const copy = keptCopy(ctx, media.sha256);
  if (!copy) return null; // headerMediaProblem blocks the start once it has expired
  const bytes = fs.readFileSync(copy);
  const mime = media.mime_type ?? sniffMediaType(bytes.subarray(0, 16)) ?? 'application/octet-stream';
  const { client, number } = await sendingNumber(account, row.phone_number_id);
  const { id } = await client.uploadMedia(number, {
    bytes,
    mimeType: mime,
    filename: media.file_name ?? `header${TYPES[mime]?.ext ?? ''}`,
  });
  const fresh: UploadedMedia = {
    id,
    file_name: media.file_name ?? 'header',
    mime_type: mime,
    size: bytes.length,
    sha256: media.sha256,
    uploaded_at: now,
  };
  setHeaderMedia(ctx.db, campaignId, JSON.stringify(fresh));
  ctx.log.info('campaigns: header media uploaded again (media ids last 30 days)', { campaign: campaignId, previous: media.id, id });
  return fresh;
}
