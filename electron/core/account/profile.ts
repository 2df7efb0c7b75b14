/**
 * The WhatsApp business profile of one of the connected numbers (about, description, address,
 * email, websites, vertical, photo): read and updated through the account's Graph client.
 */
import fs from 'node:fs';
import type { CoreContext } from '../context';
import { PacerError } from '../errors';
import type { GraphClient } from '../whatsapp/client';
import { BUSINESS_VERTICALS, type BusinessProfile, type BusinessVertical } from '../../../shared/contract/whatsapp';
import type { AccountStore } from './store';

/** What a profile update may change (contract account:update-profile). */
export interface ProfileUpdate {
  phoneNumberId?: string;
  about?: string;
  description?: string;
  address?: string;
  email?: string;
  websites?: string[];
  vertical?: BusinessVertical;
  photoFileId?: string;
}

export interface ProfileAccount {
  store: AccountStore;
  /** The connection's client (a Sandbox connection restarts its emulator first). */
  ready(): Promise<GraphClient>;
  /** Records a failed call on the connection and turns it into the contract's error. */
  recordFailure(e: unknown): PacerError;
}

export class BusinessProfiles {
  constructor(
    private readonly ctx: CoreContext,
    private readonly account: ProfileAccount,
  ) {}

  async get(opts: { phoneNumberId?: string }): Promise<BusinessProfile> {
    const id = this.profileNumber(opts.phoneNumberId);
    const client = await this.account.ready();
    try {
      const p = await client.getBusinessProfile(id);
      const vertical = (BUSINESS_VERTICALS as readonly string[]).includes(p.vertical ?? '') ? (p.vertical as BusinessVertical) : null;
      return {
        phoneNumberId: id,
        about: p.about ?? null,
        description: p.description ?? null,
        address: p.address ?? null,
        email: p.email ?? null,
        websites: Array.isArray(p.websites) ? p.websites : [],
        vertical,
        profilePictureUrl: p.profile_picture_url ?? null,
      };
    } catch (e) {
      throw this.account.recordFailure(e);
    }
  }

  async update(patch: ProfileUpdate): Promise<BusinessProfile> {
    const id = this.profileNumber(patch.phoneNumberId);
    const client = await this.account.ready();
    try {
      const fields: Record<string, unknown> = {};
      for (const k of ['about', 'description', 'address', 'email', 'websites', 'vertical'] as const)
        if (patch[k] !== undefined) fields[k] = patch[k];
      if (patch.photoFileId) {
        const file = this.stagedPhoto(patch.photoFileId);
        const app = await client.getApp();
        fields.profile_picture_handle = await client.resumableUpload(app.id, file);
      }
      if (Object.keys(fields).length === 0) throw new PacerError('bad_input', 'Nothing to update: give at least one profile field.');
      await client.updateBusinessProfile(id, fields);
      this.ctx.log.info('business profile updated', { phoneNumberId: id, fields: Object.keys(fields) });
    } catch (e) {
      throw this.account.recordFailure(e);
    }
    return this.get({ phoneNumberId: id });
  }

  /** The number whose profile is meant: the given one (it must be the account's) or the connection's. */
  private profileNumber(id?: string): string {
    const conn = this.account.store.connection();
    if (!conn) throw new PacerError('unavailable', 'No WhatsApp account is connected.');
    const target = id ?? conn.phone_number_id;
    if (!this.account.store.number(target))
      throw new PacerError('not_found', `Phone number ${target} is not one of the connected account's numbers.`);
    return target;
  }

  private stagedPhoto(fileId: string): { bytes: Uint8Array; mimeType: string; filename: string } {
    const staged = this.ctx.files.get(fileId);
    if (staged.size > 5 * 1024 * 1024) throw new PacerError('bad_input', 'The profile photo must be 5 MB or smaller.');
    const bytes = new Uint8Array(fs.readFileSync(staged.path));
    const png = bytes[0] === 0x89 && bytes[1] === 0x50;
    const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
    if (!png && !jpeg) throw new PacerError('bad_input', 'The profile photo must be a JPEG or PNG image.');
    return { bytes, mimeType: png ? 'image/png' : 'image/jpeg', filename: staged.name };
  }
}
