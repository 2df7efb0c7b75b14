/**
 * Seeing a campaign before it goes out: the rendered message for one contact (preview) and test
 * sends to typed numbers, each through a recipient's gates (test-send.ts).
 */
import { PacerError, badInput, notFound } from '../errors';
import type { CampaignDraft, CampaignPreview, TestSendResult } from '../../../shared/contract/campaigns';
import { campaignDraftSchema } from '../../../shared/contract/campaigns';
import { tierLimit, usableBudget } from './messaging-window';
import { compileMapping, renderPreview, resolveParams, type CompiledMapping } from './params';
import { consentCategoryOf } from './ports';
import { runtimeOf } from './runtime';
import { sendTests } from './test-send';
import { splitTestNumbers, TEST_SEND_MAX } from '../../../shared/campaigns/test-numbers';
import { draftOf } from './definitions';
import { event } from './events';
import { row, windowNow } from './reads';
import type { CampaignsScope } from './scope';

export async function preview(
  s: CampaignsScope,
  input: { id?: string; draft?: CampaignDraft; contact_id?: number },
): Promise<CampaignPreview> {
  const d = input.id ? draftOf(row(s, input.id)) : campaignDraftSchema.parse(input.draft);
  const t = s.ports.templates.get(d.template.name, d.template.language);
  if (!t) throw badInput(`Template ${d.template.name} (${d.template.language}) is not among the synced templates`);
  let compiled: CompiledMapping;
  try {
    compiled = compileMapping(t, d.params);
  } catch (e) {
    throw badInput((e as Error).message);
  }
  let contact = input.contact_id !== undefined ? s.ports.contacts.contact(input.contact_id) : null;
  if (input.contact_id !== undefined && !contact) throw notFound(`No contact ${input.contact_id}`);
  if (!contact) contact = (await s.ports.contacts.resolveAudience(d.audience, consentCategoryOf(t.category)))[0] ?? null;
  const resolved = resolveParams(compiled, contact ?? { phone: '' });
  const values = resolved.ok ? resolved.values : {};
  const view = renderPreview(t, values);
  const footer = t.components.find((c) => c.type.toUpperCase() === 'FOOTER')?.text ?? null;
  return {
    // The address: a contact known only by its WhatsApp user id shows that id.
    contact: contact ? { id: Number(contact.id), phone: contact.phone ?? contact.user_id ?? '', name: contact.name ?? '' } : null,
    params: values,
    missing: resolved.ok ? [] : resolved.missing,
    header: view.header,
    body: view.body,
    footer,
    buttons: view.buttons,
    direction: /[\u0590-\u08FF]/.test(view.body) ? 'rtl' : 'ltr',
  };
}

/**
 * Sends now to the given numbers (as typed), each through a campaign recipient's gates
 * (test-send.ts), counted in the 24-hour budget like any send.
 */
export async function testSend(
  s: CampaignsScope,
  id: string,
  to: string[],
  contactId?: number,
  opts: { iHaveConsent?: boolean; actor?: string } = {},
): Promise<TestSendResult> {
  const r = row(s, id);
  const t = s.ports.templates.get(r.template_name, r.template_language);
  if (!t || t.status !== 'APPROVED')
    throw new PacerError('conflict', `Template ${r.template_name} is ${t ? t.status : 'not synced'}: only APPROVED templates can be sent`);
  const blocker = s.ports.account.sendBlocker();
  if (blocker) throw new PacerError('unavailable', `The account cannot send: ${blocker}`);
  const rt = runtimeOf(r, t);
  if (!rt.compiled) throw badInput('The parameter mapping does not fit the template');
  const typed = splitTestNumbers(to);
  if (typed.length === 0 || typed.length > TEST_SEND_MAX) throw badInput(`Give 1 to ${TEST_SEND_MAX} numbers (got ${typed.length})`);
  const phoneNumberId = r.phone_number_id ?? s.ports.account.defaultPhoneNumberId();
  if (!phoneNumberId) throw new PacerError('unavailable', 'No sending phone number is configured');
  const results = await sendTests(
    {
      ctx: s.ctx,
      ports: s.ports,
      campaignId: id,
      template: t,
      compiled: rt.compiled,
      headerMedia: rt.headerMedia,
      phoneNumberId,
      valuesFrom: contactId !== undefined ? s.ports.contacts.contact(contactId) : null,
      window: windowNow(s),
      budget: usableBudget(tierLimit(s.ports.account.messagingLimit()) ?? 250, rt.margin),
      hash: s.hash,
      iHaveConsent: opts.iHaveConsent ?? false,
      actor: opts.actor ?? 'user',
    },
    typed,
  );
  event(s, id, 'test_send', {
    to: results.map((x) => ({
      ok: x.ok,
      reason: x.reason,
      error_code: x.error_code,
      ...(x.consent_recorded ? { consent_recorded: true } : {}),
    })),
  });
  return { results };
}
