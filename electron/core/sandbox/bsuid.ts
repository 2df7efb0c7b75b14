/**
 * Business-scoped user ids and usernames in the sandbox (docs/sandbox.md "Business-scoped user
 * ids"). Facts: ../shared/reference/whatsapp-cloud-api.md §11; Meta "Business-scoped user IDs"
 * (2026-11-05) and "System messages webhook reference" (2026-08-11); dualhook's field table.
 *
 * Once enabled (`POST /__admin/users/bsuids {enabled: true}`, or implied by the other admin calls
 * here), every user gets a BSUID (`<ISO country>.<digits>`, stable for a seed, new after a number/BSUID
 * change). Every webhook about a user then carries it: `contacts[].user_id`, `messages[].from_user_id`,
 * `statuses[].recipient_user_id`, `user_preferences[].user_id`. A user given a username
 * (`POST /__admin/users/username`) has `profile.username`, and their inbound messages and
 * preferences come WITHOUT a phone (`from` / `wa_id` left out) — what Meta does for a username
 * without a recent interaction. `POST /__admin/users/user-id-change` sends `user_changed_user_id`.
 * Implemented by rewriting each update as it is dispatched, so world.ts needs no knowledge of it.
 *
 * Sends may address a user by BSUID: `recipient: "<user id>"` instead of `to` (reference §11:
 * "Recipients may be given as `to` (phone) or `recipient` (a business-scoped user id)").
 * world-messages.ts resolves it with recipientWaId (an id this sandbox never issued is refused
 * with 131026, like an undeliverable number); the message's statuses then carry
 * `recipient_user_id` = that id, and no `recipient_id` when the user's phone is withheld.
 */
import crypto from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { HttpError } from './route';
import type { WorldBase } from './world-base';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const digits = (s: string) => s.replace(/\D/g, '');

class BsuidState {
  /**
   * Off until asked for (`POST /__admin/users/bsuids`, or any username / BSUID admin call): the
   * Cloud API examples the conformance tests compare with predate BSUIDs.
   */
  enabled = false;
  readonly usernames = new Map<string, string>();
  /** wa_id → parent BSUID (`US.ENT.…`: the user as seen by a linked portfolio; POST users/parent-user-id). */
  readonly parents = new Map<string, string>();
  readonly generation = new Map<string, number>();
  /** wamid → the BSUID a send addressed with `recipient`. */
  readonly sentTo = new Map<string, string>();
  /** Every user a BSUID was issued for: a send by `recipient` still reaches them after they drop their username. */
  readonly issued = new Set<string>();
  constructor(readonly salt: string) {}
  userId(waId: string): string {
    this.issued.add(waId);
    const gen = this.generation.get(waId) ?? 0;
    const country = parsePhoneNumberFromString(`+${waId}`)?.country ?? 'US';
    const h = crypto.createHash('sha256').update(`${this.salt}:${waId}:${gen}`).digest();
    return `${country}.${h.readBigUInt64BE(0).toString().padStart(16, '0').slice(0, 16)}`;
  }
  /** The phone of a BSUID this sandbox issued (current generation). */
  waIdOf(userId: string, candidates: Iterable<string>): string | null {
    for (const w of candidates) if (this.userId(w) === userId) return w;
    return null;
  }
}

const states = new WeakMap<WorldBase, BsuidState>();
export const bsuidOf = (world: WorldBase): BsuidState => {
  let s = states.get(world);
  if (!s) states.set(world, (s = new BsuidState(world.business.id)));
  return s;
};

/** Adds BSUIDs (and hides withheld phones) in a `messages` / `user_preferences` value. */
function rewriteValue(s: BsuidState, field: string, value: Obj): void {
  const withheld = (waId: string | null) => waId !== null && s.usernames.has(waId);
  for (const c of Array.isArray(value.contacts) ? value.contacts : []) {
    if (!isObj(c) || typeof c.wa_id !== 'string') continue;
    const w = digits(c.wa_id);
    c.user_id ??= s.userId(w);
    if (s.parents.has(w)) c.parent_user_id ??= s.parents.get(w);
    const username = s.usernames.get(w);
    if (username) {
      c.profile = { ...(isObj(c.profile) ? c.profile : {}), username };
      if (field !== 'messages' || !Array.isArray(value.statuses)) delete c.wa_id;
    }
  }
  if (field === 'messages') {
    for (const m of Array.isArray(value.messages) ? value.messages : []) {
      if (!isObj(m) || typeof m.from !== 'string') continue;
      const w = digits(m.from);
      m.from_user_id ??= s.userId(w);
      if (s.parents.has(w)) m.from_parent_user_id ??= s.parents.get(w);
      if (withheld(w)) delete m.from;
    }
    for (const st of Array.isArray(value.statuses) ? value.statuses : []) {
      if (!isObj(st) || typeof st.recipient_id !== 'string') continue;
      const addressed = typeof st.id === 'string' ? s.sentTo.get(st.id) : undefined;
      const parent = s.parents.get(digits(st.recipient_id));
      if (parent) st.recipient_parent_user_id ??= parent;
      if (addressed) {
        // Sent by `recipient`: the status names the user by that id; the phone only when not withheld.
        st.recipient_user_id = addressed;
        if (withheld(digits(st.recipient_id))) delete st.recipient_id;
        continue;
      }
      // Sent to a phone: the phone stays on the status; the BSUID comes with it.
      st.recipient_user_id ??= s.userId(digits(st.recipient_id));
    }
  } else if (field === 'user_preferences') {
    for (const p of Array.isArray(value.user_preferences) ? value.user_preferences : []) {
      if (!isObj(p) || typeof p.wa_id !== 'string') continue;
      const w = digits(p.wa_id);
      p.user_id ??= s.userId(w);
      if (s.parents.has(w)) p.parent_user_id ??= s.parents.get(w);
      if (withheld(w)) delete p.wa_id;
    }
  }
}

/** The wa_id of the user a `recipient` (BSUID) names, or null when this sandbox never issued it. */
export function recipientWaId(world: WorldBase, userId: string): string | null {
  const s = bsuidOf(world);
  s.enabled = true; // a send by BSUID implies webhooks that carry them
  return s.waIdOf(userId, new Set([...world.users.keys(), ...s.usernames.keys(), ...s.issued]));
}

/** Remembers that `wamid` was addressed by `recipient` (its statuses name the user by it). */
export function noteRecipientSend(world: WorldBase, wamid: string, userId: string): void {
  bsuidOf(world).sentTo.set(wamid, userId);
}

/** Installs the rewrite on the world's webhook dispatcher (once). */
export function installBsuid(world: WorldBase): void {
  const s = bsuidOf(world);
  const d = world.webhooks as unknown as {
    dispatch: (meta: { field: string }, build: () => { summary: string; envelope: { object: string; entry: unknown[] } }) => void;
    __bsuid?: true;
  };
  if (d.__bsuid) return;
  d.__bsuid = true;
  const original = d.dispatch.bind(d);
  d.dispatch = (meta, build) =>
    original(meta, () => {
      const u = build();
      if (!s.enabled) return u;
      for (const e of u.envelope.entry) {
        if (!isObj(e)) continue;
        for (const ch of Array.isArray(e.changes) ? e.changes : []) {
          if (isObj(ch) && isObj(ch.value) && (ch.field === 'messages' || ch.field === 'user_preferences'))
            rewriteValue(s, String(ch.field), ch.value);
        }
      }
      return u;
    });
}

/** `/__admin/users/…` routes of this module; undefined when the route is not one of them. */
export function bsuidAdmin(world: WorldBase, route: string, body: unknown): unknown {
  const b = (body ?? {}) as Obj;
  const s = bsuidOf(world);
  const waIdOf = () => {
    if (typeof b.phone !== 'string' || digits(b.phone).length < 7) throw new HttpError(400, 'phone: a phone number is required');
    return digits(b.phone);
  };
  if (route.startsWith('POST users/user-id') || route === 'POST users/username') s.enabled = true;
  switch (route) {
    case 'POST users/bsuids': {
      if (typeof b.enabled !== 'boolean') throw new HttpError(400, 'enabled: a boolean is required');
      s.enabled = b.enabled;
      return { enabled: s.enabled };
    }
    case 'GET users/user-ids': {
      const out: Record<string, { user_id: string; username: string | null }> = {};
      for (const w of new Set([...world.users.keys(), ...s.usernames.keys()]))
        out[w] = { user_id: s.userId(w), username: s.usernames.get(w) ?? null };
      return out;
    }
    case 'POST users/user-id': {
      const w = waIdOf();
      return { wa_id: w, user_id: s.userId(w), username: s.usernames.get(w) ?? null };
    }
    case 'POST users/username': {
      const w = waIdOf();
      if (b.username === null) s.usernames.delete(w);
      else if (typeof b.username === 'string' && /^[a-z0-9._]{3,35}$/i.test(b.username)) s.usernames.set(w, b.username);
      else throw new HttpError(400, 'username: 3-35 letters, digits, dots or underscores (or null to remove)');
      return { wa_id: w, user_id: s.userId(w), username: s.usernames.get(w) ?? null };
    }
    case 'POST users/parent-user-id': {
      const w = waIdOf();
      if (b.parent_user_id === null) s.parents.delete(w);
      else if (typeof b.parent_user_id === 'string' && /^[A-Z]{2}\.ENT\.\d{6,24}$/.test(b.parent_user_id))
        s.parents.set(w, b.parent_user_id);
      else throw new HttpError(400, 'parent_user_id: CC.ENT.digits (or null to remove)');
      return { wa_id: w, user_id: s.userId(w), parent_user_id: s.parents.get(w) ?? null };
    }
    case 'POST users/user-id-change': {
      const w = waIdOf();
      const previous = s.userId(w);
      s.generation.set(w, (s.generation.get(w) ?? 0) + 1);
      const next = s.userId(w);
      const phone = [...world.phones.values()][0];
      if (!phone) throw new HttpError(409, 'the scenario has no phone numbers');
      const now = world.clock.now();
      const message: Obj = {
        from: w,
        from_user_id: previous,
        id: `wamid.${crypto.randomBytes(12).toString('hex')}`,
        timestamp: String(Math.floor(now / 1000)),
        type: 'system',
        system: {
          body: `User changed their business-scoped user id from ${previous} to ${next}`,
          type: 'user_changed_user_id',
          user_id: next,
        },
      };
      const value = {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: digits(phone.display_phone_number), phone_number_id: phone.id },
        messages: [message],
      };
      world.webhooks.enqueue(
        { object: 'whatsapp_business_account', entry: [{ id: phone.waba_id, changes: [{ value, field: 'messages' }] }] },
        { wabaId: phone.waba_id, field: 'messages', summary: `messages:system user_changed_user_id ${w}`, delayMs: 0 },
      );
      return { wa_id: w, previous_user_id: previous, user_id: next };
    }
    default:
      return undefined;
  }
}
