/**
 * Sending: POST /{phone-number-id}/messages validated as Meta does, the limits (throughput, pair
 * rate, portfolio, marketing caps), the async outcome decided at acceptance, and the status
 * webhooks that follow (held, sent, delivered, read, failed; reordered and duplicated as Meta does).
 */
import { metaPricing } from './pricing';
import { GraphError, webhookError } from './graph-errors';
import { validateTemplateComponents } from './template-validation';
import {
  callingCode,
  DELIVER,
  digitsOf,
  HOUR,
  isUsNumber,
  SENT_ONLY,
  STATUS_STEPS,
  unix,
  type MessageRecord,
  type PhoneState,
  type Pricing,
  type TemplateState,
} from './world-base';
import { WorldInbound } from './world-inbound';
import { noteRecipientSend, recipientWaId } from './bsuid';
import { isUserId } from '../../../shared/user-id';

export abstract class WorldMessages extends WorldInbound {
  // ---------------------------------------------------------------- sending

  /** POST /{phone-number-id}/messages. Returns the 200 body or throws a GraphError. */
  send(phoneId: string, body: unknown, apiVersion: string): object {
    const now = this.clock.now();
    this.stats.sends.attempted++;
    let waId: string | undefined;
    try {
      const phone = this.phoneOrThrow(phoneId);
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new GraphError(100, 'The request body must be a JSON object');
      const b = body as Record<string, unknown>;
      if (b.messaging_product === undefined) throw new GraphError(131008, 'The parameter messaging_product is required.');
      if (b.messaging_product !== 'whatsapp') throw new GraphError(100, 'messaging_product must be "whatsapp"');
      if (b.recipient_type !== undefined && b.recipient_type !== 'individual')
        throw new GraphError(
          100,
          b.recipient_type === 'group' ? 'The sandbox does not emulate the Groups API' : 'recipient_type must be "individual"',
        );
      // `recipient`: a business-scoped user id instead of the phone (bsuid.ts).
      const byUserId = b.recipient !== undefined && (b.to === undefined || b.to === '');
      if (b.recipient !== undefined && !byUserId) throw new GraphError(100, "Use either 'to' or 'recipient', not both");
      if (!byUserId && (b.to === undefined || b.to === '')) throw new GraphError(131008, 'The parameter to is required.');
      if (byUserId && (typeof b.recipient !== 'string' || !isUserId(b.recipient)))
        throw new GraphError(100, `Invalid parameter 'recipient': ${JSON.stringify(b.recipient)} is not a business-scoped user id`);
      if (!byUserId && (typeof b.to !== 'string' || !/^\+?[\d\s\-()]+$/.test(b.to)))
        throw new GraphError(100, `Invalid parameter 'to': ${JSON.stringify(b.to)} is not a phone number`);
      const input = (byUserId ? b.recipient : b.to) as string;
      const resolved = byUserId ? recipientWaId(this, input) : null;
      if (byUserId && resolved === null) throw new GraphError(131026, `Message undeliverable: no WhatsApp user has the id ${input}`);
      const digits = resolved ?? digitsOf(input);
      if (digits.length < 7 || digits.length > 15)
        throw new GraphError(100, `Invalid parameter 'to': ${input} is not a valid phone number`);
      const user = this.users.get(digits) ?? [...this.users.values()].find((u) => digitsOf(u.phone) === digits);
      waId = user?.wa_id ?? digits;
      const type = b.type ?? 'text';
      if (
        b.biz_opaque_callback_data !== undefined &&
        (typeof b.biz_opaque_callback_data !== 'string' || b.biz_opaque_callback_data.length > 512)
      )
        throw new GraphError(100, 'biz_opaque_callback_data must be a string of at most 512 characters');

      const waba = this.wabas.get(phone.waba_id)!;
      if (waba.health === 'LOCKED') throw new GraphError(131031, `WhatsApp Business Account ${waba.id} is locked`);
      if (waba.health === 'RESTRICTED' || phone.status === 'BANNED' || phone.status === 'RESTRICTED')
        throw new GraphError(368, `${phone.display_phone_number} is temporarily blocked for policy violations`);
      if (phone.status === 'RATE_LIMITED')
        throw new GraphError(131048, `${phone.display_phone_number} is spam rate limited: earlier messages were blocked or reported`);
      if (phone.status !== 'CONNECTED' && phone.status !== 'FLAGGED')
        throw new GraphError(133010, `${phone.display_phone_number} is not registered on Cloud API (status ${phone.status})`);
      for (const p of this.phones.values())
        if (digitsOf(p.display_phone_number) === digits) throw new GraphError(131021, 'Recipient phone number is the same as the sender');
      const cc = callingCode(digits);
      if (cc && this.scenario.limits.restricted_calling_codes.includes(cc))
        throw new GraphError(130497, `This business cannot message users with +${cc} numbers`);

      let record: Omit<MessageRecord, 'wamid' | 'status' | 'outcome' | 'statuses'>;
      let template: TemplateState | undefined;
      if (type === 'template') {
        const tObj = b.template;
        if (tObj === undefined) throw new GraphError(131008, 'The parameter template is required.');
        if (typeof tObj !== 'object' || tObj === null || Array.isArray(tObj)) throw new GraphError(100, 'template must be an object');
        const t = tObj as Record<string, unknown>;
        if (t.name === undefined || t.name === '') throw new GraphError(131008, 'The parameter template.name is required.');
        if (typeof t.name !== 'string') throw new GraphError(100, 'template.name must be a string');
        const lang = t.language as Record<string, unknown> | undefined;
        if (lang === undefined || typeof lang !== 'object' || lang === null || lang.code === undefined || lang.code === '')
          throw new GraphError(131008, 'The parameter template.language.code is required.');
        if (typeof lang.code !== 'string') throw new GraphError(100, 'template.language.code must be a string');
        if (lang.policy !== undefined && lang.policy !== 'deterministic')
          throw new GraphError(131009, 'template.language.policy can only be "deterministic"');
        template = this.findTemplate(phone.waba_id, t.name, lang.code);
        if (!template || ['DELETED', 'PENDING_DELETION'].includes(template.status))
          throw new GraphError(132001, `template name (${t.name}) does not exist in ${lang.code}`);
        if (template.status === 'PAUSED')
          throw new GraphError(132015, `Template ${t.name} (${lang.code}) is paused because of low quality`);
        if (template.status === 'DISABLED')
          throw new GraphError(132016, `Template ${t.name} (${lang.code}) is disabled because of low quality`);
        if (template.status !== 'APPROVED')
          throw new GraphError(132001, `template name (${t.name}) in ${lang.code} is ${template.status}, not APPROVED`);
        const rendered = validateTemplateComponents(t, template, { mediaExists: (id) => this.media.has(id) });
        record = {
          phone_number_id: phoneId,
          wa_id: waId,
          input,
          type: 'template',
          template: this.templateInfo(template),
          rendered,
          text: undefined,
          biz_opaque_callback_data: b.biz_opaque_callback_data as string | undefined,
          api_version: apiVersion,
          accepted_at: now,
        };
      } else if (type === 'text') {
        const text = b.text as Record<string, unknown> | undefined;
        if (!text || typeof text.body !== 'string' || !text.body) throw new GraphError(131008, 'The parameter text.body is required.');
        if (text.body.length > 4096) throw new GraphError(100, 'text.body must be at most 4096 characters');
        if (!this.inServiceWindow(phoneId, waId, now))
          throw new GraphError(
            131047,
            'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
          );
        record = {
          phone_number_id: phoneId,
          wa_id: waId,
          input,
          type: 'text',
          template: undefined,
          rendered: undefined,
          text: text.body,
          biz_opaque_callback_data: b.biz_opaque_callback_data as string | undefined,
          api_version: apiVersion,
          accepted_at: now,
        };
      } else {
        throw new GraphError(131051, `The sandbox emulates template and text messages, not type ${JSON.stringify(type)}`);
      }

      const meter = this.meter(phoneId);
      const limit = this.throughputLimit(phone);
      if (meter.count(now) >= limit) {
        this.stats.limits.throughput_rejections++;
        throw new GraphError(
          130429,
          `Cloud API message throughput of ${limit} messages per second has been reached for ${phone.display_phone_number}`,
        );
      }
      const pair = this.pair.take(`${phoneId}:${waId}`, now);
      if (!pair.ok) {
        this.stats.limits.pair_rate_rejections++;
        throw new GraphError(
          131056,
          `Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time. Retry after ${Math.ceil(pair.retryAfterMs / 1000)} s.`,
        );
      }
      meter.add(now);
      return this.accept(phone, record, template);
    } catch (e) {
      if (e instanceof GraphError) {
        this.stats.sends.rejected++;
        this.stats.syncError(e.code, waId, now);
      }
      throw e;
    }
  }

  protected decideOutcome(phone: PhoneState, waId: string, template: TemplateState | undefined, now: number): MessageRecord['outcome'] {
    const user = this.users.get(waId);
    let undeliverable = user?.undeliverable ?? false;
    if (!user && this.scenario.delivery.undeliverable_rate > 0) {
      if (!this.unknownUndeliverable.has(waId))
        this.unknownUndeliverable.set(waId, this.rng.chance(this.scenario.delivery.undeliverable_rate));
      undeliverable = this.unknownUndeliverable.get(waId)!;
    }
    if (undeliverable) return { kind: 'failed', code: 131026, details: 'Message Undeliverable.' };
    if (template?.category === 'MARKETING') {
      if (user?.marketing_stopped)
        return {
          kind: 'failed',
          code: 131050,
          details:
            'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
        };
      if (this.scenario.limits.us_marketing_blocked && isUsNumber(waId))
        return {
          kind: 'failed',
          code: 131049,
          details: 'Marketing template messages to WhatsApp users with US phone numbers are currently not delivered.',
        };
      if (user?.experiment_holdout)
        return {
          kind: 'failed',
          code: 130472,
          details: "Failed to send message because this user's phone number is part of an experiment",
        };
      if (!this.inServiceWindow(phone.id, waId, now)) {
        const exempt = this.scenario.limits.marketing_cap_exempt_calling_codes.includes(callingCode(waId) ?? '');
        if (
          !exempt &&
          (user?.marketing_cap_reached || this.marketing.count(waId, now) >= this.scenario.limits.marketing_per_user_per_24h)
        ) {
          this.stats.limits.marketing_cap_failures++;
          return {
            kind: 'failed',
            code: 131049,
            details: 'In order to maintain healthy ecosystem engagement, the message failed to be delivered.',
          };
        }
        this.marketing.add(waId, now);
      }
    }
    return user?.offline ? SENT_ONLY : DELIVER;
  }

  protected accept(
    phone: PhoneState,
    base: Omit<MessageRecord, 'wamid' | 'status' | 'outcome' | 'statuses'>,
    template: TemplateState | undefined,
  ): object {
    const now = base.accepted_at;
    const waId = base.wa_id;
    const wamid = this.wamid(waId);
    const outcome = this.decideOutcome(phone, waId, template, now);
    const held = template?.paced === true;
    // Every field written in one order, so all records share one hidden class (a spread gave each its own).
    const msg: MessageRecord = {
      wamid,
      phone_number_id: base.phone_number_id,
      wa_id: waId,
      input: base.input,
      type: base.type,
      template: base.template,
      rendered: base.rendered,
      text: base.text,
      biz_opaque_callback_data: base.biz_opaque_callback_data,
      api_version: base.api_version,
      accepted_at: now,
      status: held ? 'held' : 'accepted',
      outcome,
      statuses: [],
    };
    this.messages.set(wamid, msg);
    // Addressed by `recipient` (a BSUID): statuses name the user by it, the answer does not reveal the phone.
    const byRecipient = !/^\+?[\d\s\-()]+$/.test(base.input);
    if (byRecipient) noteRecipientSend(this, wamid, base.input);
    this.stats.accepted(waId, template?.name, template?.language, base.biz_opaque_callback_data, now);
    if (held) this.stats.sends.held_for_quality_assessment++;
    if (template) {
      let last = this.lastTemplateTo.get(phone.id);
      if (!last) this.lastTemplateTo.set(phone.id, (last = new Map()));
      last.set(waId, wamid);
    }
    this.lastPhoneFor.set(waId, phone.id);

    // The portfolio limit counts unique users *delivered to* outside a customer-service window.
    if (outcome.kind === 'deliver' && msg.type === 'template' && !this.inServiceWindow(phone.id, waId, now)) {
      if (!this.portfolio.has(waId, now)) {
        const used = this.portfolio.size(now);
        const limit = this.limitValue();
        if (used >= limit)
          this.stats.violation({ at: now, wa_id: waId, phone_number_id: phone.id, wamid, unique_recipients_24h: used + 1, limit });
        this.portfolio.add(waId, now);
        this.considerAutoScaling(now);
      } else {
        this.portfolio.add(waId, now);
      }
    }
    this.scheduleStatuses(phone, msg, template, held);
    return {
      messaging_product: 'whatsapp',
      contacts: [byRecipient ? { input: base.input, user_id: base.input } : { input: base.input, wa_id: waId }],
      messages: [{ id: wamid, ...(msg.type === 'template' ? { message_status: held ? 'held_for_quality_assessment' : 'accepted' } : {}) }],
    };
  }

  protected pricing(phone: PhoneState, msg: MessageRecord): Pricing {
    const p = metaPricing({
      at: msg.accepted_at,
      templateCategory: msg.type === 'text' ? null : (msg.template?.category ?? 'UTILITY'),
      inServiceWindow: this.inServiceWindow(phone.id, msg.wa_id, msg.accepted_at),
      inFreeEntryPoint: this.users.get(msg.wa_id)?.free_entry_point ?? false,
    });
    // A handful of distinct values, shared by every message that has them.
    const key = `${p.category}:${p.type}`;
    let shared = this.pricingValues.get(key);
    if (!shared) this.pricingValues.set(key, (shared = p));
    return shared;
  }

  /** A read marketing message may be clicked (sandbox/clicks.ts decides). */
  private clickHook(phone: PhoneState, msg: MessageRecord): void {
    const t = this.findTemplate(phone.waba_id, msg.template!.name, msg.template!.language);
    const hasUrlButton = !!t?.components.find((c) => c.type === 'BUTTONS')?.buttons?.some((b) => b.type === 'URL');
    this.clicks.onRead({
      wamid: msg.wamid,
      waId: msg.wa_id,
      wabaId: phone.waba_id,
      phoneNumberId: phone.id,
      displayPhoneNumber: digitsOf(phone.display_phone_number),
      category: msg.template!.category,
      hasUrlButton,
      userClicks: this.users.get(msg.wa_id)?.clicks,
    });
  }

  /** The template as a message record names it, shared by the records sent while it has that category. */
  protected templateInfo(t: TemplateState): NonNullable<MessageRecord['template']> {
    const key = `${t.id}:${t.category}`;
    let info = this.templateInfos.get(key);
    if (!info) this.templateInfos.set(key, (info = { name: t.name, language: t.language, category: t.category }));
    return info;
  }

  protected scheduleStatuses(phone: PhoneState, msg: MessageRecord, _template: TemplateState | undefined, held: boolean): void {
    const d = this.scenario.delivery;
    const base = held ? this.delay(d.held_release_ms) : 0;
    const events: { status: 'sent' | 'delivered' | 'read' | 'failed'; at: number }[] = [];
    if (msg.outcome.kind === 'failed') {
      events.push({ status: 'failed', at: base + this.delay(d.failed_delay_ms) });
    } else {
      const sent = base + this.delay(d.sent_delay_ms);
      events.push({ status: 'sent', at: sent });
      if (msg.outcome.kind === 'deliver') {
        const delivered = sent + this.delay(d.delivered_delay_ms);
        events.push({ status: 'delivered', at: delivered });
        const user = this.users.get(msg.wa_id);
        if (user?.reads ?? this.rng.chance(d.read_rate)) {
          events.push({ status: 'read', at: delivered + this.delay(d.read_delay_ms) });
          // Meta may skip `delivered` when the message is read at once (read implies delivered).
          if (this.rng.chance(d.skip_delivered_rate))
            events.splice(
              events.findIndex((e) => e.status === 'delivered'),
              1,
            );
        }
      }
    }
    const pricedStatus = events.some((e) => e.status === 'delivered') ? 'delivered' : 'read';
    // Webhook delivery moments: normally the event moments, but Meta posts concurrently and
    // retries, so statuses can arrive out of order and more than once.
    const deliverAt = events.map((e) => e.at);
    if (events.length > 1 && this.rng.chance(this.scenario.webhooks.out_of_order_rate)) {
      const i = this.rng.int(0, events.length - 2);
      [deliverAt[i], deliverAt[i + 1]] = [deliverAt[i + 1]!, deliverAt[i]!];
    }
    const pricing = this.pricing(phone, msg);
    const conversationId = this.rng.hex(16);
    // The message's whole future as a few packed numbers (time × 16 + step), walked by one agenda
    // entry at a time; webhook bodies are built when they fall due. A read may be ten minutes
    // away: holding a timer and an envelope per event until then made the emulator's heap grow
    // with the run and its garbage-collection pauses bunch the arrivals it meters.
    const steps: number[] = [];
    let duplicates = 0;
    events.forEach((e, i) => {
      const k = STATUS_STEPS.indexOf(e.status);
      steps.push(e.at * 16 + k, deliverAt[i]! * 16 + 4 + k);
      if (this.rng.chance(this.scenario.webhooks.duplicate_rate)) {
        steps.push((deliverAt[i]! + this.rng.int(0, 2000)) * 16 + 8 + k);
        duplicates++;
      }
    });
    steps.sort((a, b) => a - b);
    this.webhooks.announce(events.length + duplicates, duplicates);
    let next = 0;
    const fire = () => {
      const due = Math.floor(steps[next]! / 16);
      for (; next < steps.length && Math.floor(steps[next]! / 16) === due; next++) {
        const code = steps[next]! % 16;
        const status = STATUS_STEPS[code % 4]!;
        if (code < 4) this.applyStatus(phone, msg, status);
        else
          this.webhooks.dispatch({ wabaId: phone.waba_id, field: 'messages', createdAt: msg.accepted_at, duplicate: code >= 8 }, () =>
            // The status's own moment (its apply step), not the webhook's delivery moment.
            this.statusUpdate(
              phone,
              msg,
              { status, at: Math.floor(steps.find((x) => x % 16 === code % 4)! / 16) },
              { pricedStatus, pricing, conversationId },
            ),
          );
      }
      if (next < steps.length) this.agenda.at(msg.accepted_at + Math.floor(steps[next]! / 16), fire);
    };
    this.agenda.at(msg.accepted_at + Math.floor(steps[0]! / 16), fire);
  }

  /** One status webhook (`statuses[]` with a single item), as Meta shapes it for the message's API version. */
  protected statusUpdate(
    phone: PhoneState,
    msg: MessageRecord,
    e: { status: 'sent' | 'delivered' | 'read' | 'failed'; at: number },
    o: { pricedStatus: string; pricing: Pricing; conversationId: string },
  ) {
    const metadata = { display_phone_number: digitsOf(phone.display_phone_number), phone_number_id: phone.id };
    const v = Number(/^v?(\d+)/.exec(msg.api_version)?.[1] ?? 24);
    const status: Record<string, unknown> = {
      id: msg.wamid,
      status: e.status,
      timestamp: String(unix(msg.accepted_at + e.at)),
      recipient_id: msg.wa_id,
    };
    if (msg.biz_opaque_callback_data !== undefined) status.biz_opaque_callback_data = msg.biz_opaque_callback_data;
    if (e.status === 'sent' || e.status === o.pricedStatus) {
      if (v < 24)
        status.conversation = {
          id: o.conversationId,
          ...(e.status === 'sent' ? { expiration_timestamp: String(unix(msg.accepted_at + e.at + 24 * HOUR)) } : {}),
          origin: { type: o.pricing.category },
        };
    }
    // Pricing rides on exactly one of delivered/read.
    if (e.status === o.pricedStatus) status.pricing = o.pricing;
    if (e.status === 'failed' && msg.outcome.kind === 'failed') status.errors = [webhookError(msg.outcome.code, msg.outcome.details)];
    return {
      summary: `statuses:${e.status} ${msg.wamid}`,
      envelope: {
        object: 'whatsapp_business_account',
        entry: [
          { id: phone.waba_id, changes: [{ value: { messaging_product: 'whatsapp', metadata, statuses: [status] }, field: 'messages' }] },
        ],
      },
    };
  }

  protected applyStatus(phone: PhoneState, msg: MessageRecord, status: 'sent' | 'delivered' | 'read' | 'failed'): void {
    const now = this.clock.now();
    msg.status = status;
    msg.statuses.push({ status, at: now });
    this.stats.statuses[status]++;
    if (status === 'failed' && msg.outcome.kind === 'failed') this.stats.asyncError(msg.outcome.code, msg.wa_id, now);
    if (status === 'read' && msg.type === 'template' && msg.template) this.clickHook(phone, msg);
    const firstDelivery = status === 'delivered' || (status === 'read' && !msg.statuses.some((x) => x.status === 'delivered'));
    if (firstDelivery && msg.type === 'template') {
      const user = this.users.get(msg.wa_id);
      const reply = user?.reply;
      if (user && reply && !this.replied.has(msg.wa_id)) {
        this.replied.add(msg.wa_id);
        this.after(reply.after_ms, () => {
          this.inbound({
            from: msg.wa_id,
            phone_number_id: phone.id,
            kind: reply.kind,
            text: reply.text,
            payload: reply.payload,
            language: reply.language,
            context_wamid: msg.wamid,
          });
        });
      }
    }
  }
}
