/**
 * One contact added by hand (contract: shared/contract/contact-add.ts). The number goes through the
 * import's normaliser with the default country, so the form accepts exactly what a file would; an
 * erased number is refused as the import refuses it; an existing one answers its id so the form can
 * open it. Names, e-mail and tags are written by ContactsService.update (its checks, its search
 * index); the consent is a manual opt-in with the given source as evidence (ContactsService.optIn).
 */
import type { CoreContext } from '../context';
import { PacerError, badInput } from '../errors';
import type { ContactRow } from '../../../shared/contract/contacts';
import { erasedAt } from '../privacy/store/erasures';
import type { ContactsService } from './service';
import { contactIdByPhone, insertBareContact } from './store/contacts';
import { normalizePhone } from './phone';
import { explainPhone } from './phone-explain';

export interface AddContactInput {
  phone: string;
  first_name?: string | undefined;
  last_name?: string | undefined;
  email?: string | undefined;
  tags?: string[] | undefined;
  consent?: { category: 'marketing' | 'utility'; source: string; evidence?: string | undefined } | undefined;
}

export function addContact(ctx: CoreContext, service: ContactsService, input: AddContactInput, actor: string): ContactRow {
  const country = service.defaultCountry();
  const n = normalizePhone(input.phone, country);
  if (!n.ok)
    throw badInput(`${input.phone}: ${n.reason}`, {
      field: 'phone',
      kind: n.code,
      ...(n.code === 'no_phone' ? {} : explainPhone(input.phone, country)),
    });
  if (input.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email))
    throw badInput(`"${input.email}" is not an email address.`, { field: 'email' });
  const existing = contactIdByPhone(ctx.db, n.e164);
  if (existing !== undefined) throw new PacerError('conflict', `${n.e164} is already a contact`, { reason: 'exists', id: existing });
  const erased = erasedAt(ctx.db, n.e164);
  if (erased !== null)
    throw new PacerError('conflict', `${n.e164} was erased at the person's request; lift the erasure first`, {
      reason: 'erased',
      erased_at: erased,
    });
  const now = ctx.clock.now();
  let id = 0;
  ctx.db.transaction(() => {
    id = insertBareContact(ctx.db, n.e164, n.country, now);
    service.update({
      id,
      first_name: input.first_name ?? null,
      last_name: input.last_name ?? null,
      email: input.email ?? null,
      ...(input.tags?.length ? { tags: input.tags } : {}),
    });
  })();
  if (input.consent) {
    const c = input.consent;
    service.optIn({ contact: { id }, category: c.category, source: c.source, reference: c.evidence }, actor);
  }
  ctx.emit('contacts:changed', { reason: 'update' });
  return service.getById(id)!;
}
