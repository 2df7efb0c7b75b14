/**
 * The typed events the router hands to domain handlers, parsed from Meta's envelope
 * (object → entry[] → changes[] → {field, value}). Each carries a stable `key`: the same event
 * delivered twice (Meta's retries, several subscribed apps, the relay replaying) has the same key,
 * and the processor hands each key to the handlers once.
 */

export interface EventOrigin {
  /** entry[].id: the WABA id. */
  wabaId: string;
  /** value.metadata.phone_number_id (where Meta sends metadata: messages, user_preferences). */
  phoneNumberId: string | null;
  displayPhoneNumber: string | null;
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface StatusError {
  code: number;
  title: string | null;
  message: string | null;
  details: string | null;
  href: string | null;
}

export interface StatusEvent extends EventOrigin {
  type: 'status';
  key: string;
  wamid: string;
  status: DeliveryStatus;
  /** Unix milliseconds (Meta sends seconds as a string). */
  timestamp: number;
  recipientId: string | null;
  recipientType: string | null;
  recipientIdentityKeyHash: string | null;
  /** Business-scoped user id of the recipient (`recipient_user_id`, since 2026) and its parent id. */
  recipientUserId?: string | null;
  recipientParentUserId?: string | null;
  /** The user's username, when they have one (delivered / read statuses). */
  username?: string | null;
  bizOpaqueCallbackData: string | null;
  pricing: { billable: boolean | null; model: string | null; type: string | null; category: string | null } | null;
  conversation: { id: string | null; originType: string | null; expiresAt: number | null } | null;
  errors: StatusError[];
}

export type OptOutIntent = { source: 'keyword' | 'button'; matched: string } | null;

export interface MessageEvent extends EventOrigin {
  type: 'message';
  key: string;
  id: string;
  /**
   * Sender's WhatsApp id (digits; E.164 without "+"). Null when Meta withheld it — a user with a
   * username and no recent interaction (Meta "Business-scoped user IDs", 2026-11-05): then
   * `userId` identifies them.
   */
  from: string | null;
  /** Business-scoped user id (`from_user_id` / `contacts[].user_id`), its parent id, the username. */
  userId: string | null;
  parentUserId: string | null;
  username: string | null;
  profileName: string | null;
  timestamp: number;
  /** Meta's message type: text, button, interactive, system, image, reaction, … */
  kind: string;
  text: string | null;
  /** Quick-reply tap on a template button. */
  button: { payload: string | null; text: string | null } | null;
  interactive: { kind: string; id: string | null; title: string | null } | null;
  /** `system` messages, e.g. user_changed_number with the new wa_id. */
  system: {
    type: string | null;
    body: string | null;
    newWaId: string | null;
    newUserId: string | null;
    newParentUserId: string | null;
    previousUserId: string | null;
  } | null;
  /** The message this one replies to (a template's wamid for button taps). */
  context: { from: string | null; id: string | null } | null;
  /** Set when the text or button is an opt-out (STOP keyword or opt-out button). */
  optOut: OptOutIntent;
}

export interface UserPreferenceEvent extends EventOrigin {
  type: 'user_preferences';
  key: string;
  /** Null when Meta withheld the phone (see MessageEvent.from); then userId is set. */
  waId: string | null;
  userId: string | null;
  parentUserId: string | null;
  username: string | null;
  profileName: string | null;
  category: string;
  value: 'stop' | 'resume' | string;
  detail: string | null;
  timestamp: number;
}

/**
 * A click on a marketing message (`value.user_actions[]` on the `messages` field, action_type
 * `marketing_messages_link_click`; Meta "Tracking click events", 2026-06-30, limited availability,
 * MM API only, messages of the last 7 days). Meta's documented payload names no message or
 * recipient: `wamid` / `recipientId` are read when the event carries them (`context.id`,
 * `message_id`; `from`, `wa_id`, `user_id`), else the click is the account's but nobody's.
 */
export interface ClickEvent extends EventOrigin {
  type: 'click';
  key: string;
  actionType: string;
  /** Unix milliseconds. */
  timestamp: number;
  component: string | null;
  clickId: string | null;
  productId: string | null;
  trackingToken: string | null;
  wamid: string | null;
  recipientId: string | null;
}

/**
 * A `value.errors` array outside any status: Meta's out-of-band errors about the number, the WABA
 * or the app (e.g. a message Meta could not deliver to the webhook, a number deregistered). One
 * event per change carrying them; the change's other content is parsed as usual.
 */
export interface ValueErrorEvent extends EventOrigin {
  type: 'value_error';
  key: string;
  field: string;
  /** entry[].time in ms when present. */
  time: number | null;
  errors: StatusError[];
}

/** Management webhooks: passed on with their value as Meta sent it, plus the fields routed on. */
export interface ManagementEvent<T extends ManagementType = ManagementType> extends EventOrigin {
  type: T;
  key: string;
  field: string;
  /** entry[].time in ms when present. */
  time: number | null;
  event: string | null;
  value: Record<string, unknown>;
}

export type ManagementType =
  | 'template_status'
  | 'template_quality'
  | 'template_category'
  | 'template_components'
  | 'phone_quality'
  | 'business_capability'
  | 'account_update'
  | 'account_alerts'
  | 'other';

export type WebhookEvent = StatusEvent | MessageEvent | UserPreferenceEvent | ClickEvent | ValueErrorEvent | ManagementEvent;

export interface WebhookEventMap {
  status: StatusEvent;
  message: MessageEvent;
  user_preferences: UserPreferenceEvent;
  click: ClickEvent;
  value_error: ValueErrorEvent;
  template_status: ManagementEvent<'template_status'>;
  template_quality: ManagementEvent<'template_quality'>;
  template_category: ManagementEvent<'template_category'>;
  template_components: ManagementEvent<'template_components'>;
  phone_quality: ManagementEvent<'phone_quality'>;
  business_capability: ManagementEvent<'business_capability'>;
  account_update: ManagementEvent<'account_update'>;
  account_alerts: ManagementEvent<'account_alerts'>;
  other: ManagementEvent<'other'>;
}

export type WebhookEventType = keyof WebhookEventMap;
export const WEBHOOK_EVENT_TYPES = [
  'status',
  'message',
  'user_preferences',
  'click',
  'value_error',
  'template_status',
  'template_quality',
  'template_category',
  'template_components',
  'phone_quality',
  'business_capability',
  'account_update',
  'account_alerts',
  'other',
] as const satisfies readonly WebhookEventType[];
