/**
 * What users do: write to a business number, tap a quick reply or a stop button, stop or resume
 * marketing (user_preferences), each delivered as a messages webhook.
 */
import { type InboundInput, type PhoneState, STOP_BUTTON_LABELS, STOP_WORDS, digitsOf, unix } from './world-base';
import { WorldTemplates } from './world-templates';

export abstract class WorldInbound extends WorldTemplates {
  // ---------------------------------------------------------------- inbound

  /** A user writes to a business number (or taps a button, or stops marketing). Returns the inbound wamid. */
  inbound(input: InboundInput): { wamid?: string } {
    const now = this.clock.now();
    const waId = digitsOf(input.from);
    if (!waId) throw new Error('inbound: `from` must be a phone number');
    const phone = input.phone_number_id ? this.phoneOrThrow(input.phone_number_id) : this.phoneLastUsedFor(waId);
    const language = input.language ?? 'en';
    const user = this.users.get(waId);
    const contacts = [{ profile: { name: user?.name ?? `User ${waId.slice(-4)}` }, wa_id: waId }];
    const metadata = { display_phone_number: digitsOf(phone.display_phone_number), phone_number_id: phone.id };

    if (input.kind === 'preference_stop') {
      this.setUserPreference(waId, 'stop', phone.id);
      return {};
    }

    const contextWamid = input.context_wamid ?? this.lastTemplateTo.get(phone.id)?.get(waId);
    const context = contextWamid ? { from: metadata.display_phone_number, id: contextWamid } : undefined;
    const message: Record<string, unknown> = { from: waId, id: this.wamid(waId), timestamp: String(unix(now)) };
    let kind = input.kind;
    if (kind === 'stop_button') {
      const button = this.stopButtonOf(contextWamid);
      if (button) {
        Object.assign(message, { context, type: 'button', button });
      } else kind = 'stop_text';
    }
    if (kind === 'stop_text') Object.assign(message, { type: 'text', text: { body: input.text ?? STOP_WORDS[language] } });
    else if (kind === 'text') Object.assign(message, { type: 'text', text: { body: input.text ?? 'Hi' } });
    else if (kind === 'button') {
      const b = this.quickReplyOf(contextWamid, input.text);
      Object.assign(message, {
        context,
        type: 'button',
        button: { payload: input.payload ?? b?.payload ?? input.text ?? 'OK', text: input.text ?? b?.text ?? 'OK' },
      });
    } else if (kind === 'interactive')
      Object.assign(message, {
        context,
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: input.payload ?? 'reply_1', title: input.text ?? 'Yes' } },
      });
    if (message.context === undefined) delete message.context;

    this.lastInbound.set(`${phone.id}:${waId}`, now);
    this.meter(phone.id).add(now);
    const envelope = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: phone.waba_id,
          changes: [{ value: { messaging_product: 'whatsapp', metadata, contacts, messages: [message] }, field: 'messages' }],
        },
      ],
    };
    this.webhooks.enqueue(envelope, {
      wabaId: phone.waba_id,
      field: 'messages',
      summary: `messages:${String(message.type)} from ${waId}`,
      delayMs: 0,
    });
    return { wamid: message.id as string };
  }

  protected phoneLastUsedFor(waId: string): PhoneState {
    const last = this.lastPhoneFor.get(waId);
    const p = (last ? this.phones.get(last) : undefined) ?? this.phones.values().next().value;
    if (!p) throw new Error('the scenario has no phone numbers');
    return p;
  }

  protected quickReplies(wamid: string | undefined): { index: number; text: string; payload: string }[] {
    const msg = wamid ? this.messages.get(wamid) : undefined;
    if (!msg?.template) return [];
    const t = this.findTemplate(this.phones.get(msg.phone_number_id)!.waba_id, msg.template.name, msg.template.language);
    const defs = t?.components.find((c) => c.type === 'BUTTONS')?.buttons ?? [];
    return defs.flatMap((d, index) => {
      if (d.type !== 'QUICK_REPLY') return [];
      // Meta returns the payload the sender set for that button, or the label when none was set.
      const payload = msg.rendered?.buttons.find((b) => b.index === index)?.payload ?? d.text;
      return [{ index, text: d.text, payload }];
    });
  }

  protected stopButtonOf(wamid: string | undefined) {
    const b = this.quickReplies(wamid).find((q) => STOP_BUTTON_LABELS.includes(q.text));
    return b ? { payload: b.payload, text: b.text } : undefined;
  }

  protected quickReplyOf(wamid: string | undefined, text: string | undefined) {
    const all = this.quickReplies(wamid);
    const b = all.find((q) => q.text === text) ?? all[0];
    return b ? { payload: b.payload, text: b.text } : undefined;
  }

  /** WhatsApp's own marketing stop/resume (user_preferences webhook). */
  setUserPreference(from: string, value: 'stop' | 'resume', phoneId?: string): void {
    const waId = digitsOf(from);
    const now = this.clock.now();
    const phone = phoneId ? this.phoneOrThrow(phoneId) : this.phoneLastUsedFor(waId);
    const existing = this.users.get(waId);
    this.users.set(waId, {
      ...(existing ?? {
        phone: '+' + waId,
        undeliverable: false,
        marketing_cap_reached: false,
        experiment_holdout: false,
        offline: false,
        marketing_stopped: false,
      }),
      marketing_stopped: value === 'stop',
    });
    const value_ = {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: digitsOf(phone.display_phone_number), phone_number_id: phone.id },
      contacts: [{ wa_id: waId, profile: { name: existing?.name ?? `User ${waId.slice(-4)}` } }],
      user_preferences: [
        {
          wa_id: waId,
          detail: value === 'stop' ? 'User requested to stop marketing messages' : 'User requested to resume marketing messages',
          category: 'marketing_messages',
          value,
          timestamp: unix(now),
        },
      ],
    };
    this.webhooks.enqueue(
      {
        object: 'whatsapp_business_account',
        entry: [{ id: phone.waba_id, time: unix(now), changes: [{ value: value_, field: 'user_preferences' }] }],
      },
      { wabaId: phone.waba_id, field: 'user_preferences', summary: `user_preferences:${value} ${waId}`, delayMs: 0 },
    );
  }
}
