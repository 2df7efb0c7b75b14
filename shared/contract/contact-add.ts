/**
 * Adding one contact by hand (the Contacts page's "Add contact" form, `pacer` has import for files):
 * the phone in any format the import takes (the default country for national numbers), a name,
 * tags, and optionally a consent with how it was given — recorded in the consent ledger as a
 * manual opt-in with that evidence.
 *
 * Refusals carry codes the form translates: bad_input with details `{ field: 'phone', kind,
 * country, calling_code, example, length }` (the number, explained as the test send does) or
 * `{ field: 'email' }`; conflict with `{ reason: 'exists', id }` (already a contact: open it) or
 * `{ reason: 'erased', erased_at }` (the person asked to be erased: lift it first).
 */
import { z } from 'zod';
import { method } from './define';
import { CONSENT_CATEGORIES, type ContactRow } from './contacts';

export const contactAddMethods = {
  'contacts:add': method<ContactRow>()(
    z
      .object({
        phone: z.string().trim().min(1).max(60),
        first_name: z.string().trim().max(200).optional(),
        last_name: z.string().trim().max(200).optional(),
        email: z.string().trim().max(320).optional(),
        tags: z.array(z.string().trim().min(1).max(100)).max(200).optional(),
        consent: z
          .object({
            category: z.enum(CONSENT_CATEGORIES),
            /** How consent was given ("paper form at the shop"): required, it is the evidence. */
            source: z.string().trim().min(1).max(500),
            /** More detail (a reference, where the form is kept). */
            evidence: z.string().trim().max(500).optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
  ),
};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ContactAddEvents {}
export const contactAddEventNames = [] as const;
