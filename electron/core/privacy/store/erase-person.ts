/**
 * Who an erased person is in webhook data and texts (issue #14, item 2). Since 2026 WhatsApp names
 * a person by their number (`wa_id`, `from`, `recipient_id`), and also — or only, when they have a
 * username and Meta withholds the number (migration 0017) — by a business-scoped user id (BSUID,
 * `user_id`, `from_user_id`, `recipient_user_id`), a parent user id for linked portfolios
 * (`parent_user_id`, `from_parent_user_id`, `recipient_parent_user_id`), a username
 * (`profile.username`) and a profile name (`profile.name`). An erasure must find the person by any
 * of them and leave none behind, in their own records and in other people's (a batch body that
 * carries both, an error text that quotes one).
 *
 * This module knows the shapes: which entries of a webhook body are theirs (`redactDoc`), how to
 * cut their identifiers out of a text (`cutPerson`), and which strings a SQL `instr` can pre-select
 * rows by (`personNeedles`). erase-traces.ts applies it to the tables.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

export interface PersonIds {
  /** Their number (E.164) and as WhatsApp writes it (digits); null for a person known only by user id. */
  e164: string | null;
  waId: string | null;
  userIds: Set<string>;
  parentUserIds: Set<string>;
  usernames: Set<string>;
  /**
   * Profile names WhatsApp gave for them: a phone-less contact's name (it is their profile name),
   * and what their bodies' `contacts[].profile.name` carried (redactDoc adds those it meets).
   */
  names: Set<string>;
}

export interface PersonInput {
  phone: string | null;
  userId?: string | null;
  parentUserId?: string | null;
  username?: string | null;
  /** Their WhatsApp profile name, when known (a phone-less contact is named by it). */
  profileName?: string | null;
}

const MIN_NAME = 4;

export function personIds(p: PersonInput): PersonIds {
  const e164 = p.phone ? (p.phone.startsWith('+') ? p.phone : `+${p.phone}`) : null;
  const set = (v: string | null | undefined, min = 3) => new Set(v && v.trim().length >= min ? [v] : []);
  return {
    e164,
    waId: e164 ? e164.slice(1) : null,
    userIds: set(p.userId),
    parentUserIds: set(p.parentUserId),
    usernames: set(p.username),
    names: set(p.profileName?.trim(), MIN_NAME),
  };
}

/** The identifiers that name the person by themselves (numbers and ids), for `instr` pre-selection and deletion decisions. */
export function idNeedles(p: PersonIds): string[] {
  return [...(p.waId ? [p.waId] : []), ...p.userIds, ...p.parentUserIds];
}

/**
 * The strings a row that mentions the person holds at least one of (numbers, ids, usernames), for
 * `instr` pre-selection. Not profile names: a name is not an identifier ("David" is in other
 * people's texts too); it is cut from the rows these select, and WhatsApp only sends it beside
 * one of their ids.
 */
export function personNeedles(p: PersonIds): string[] {
  return [...idNeedles(p), ...p.usernames];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * A username or name as a whole token: not inside a longer word ("ana" is not cut out of
 * "banana") nor inside a message id (base64: letters, digits, `+/=-_`), which the wamid cut owns.
 */
const wordRe = (s: string) => new RegExp(`(?<![\\p{L}\\p{N}_.+/=-])@?${escape(s)}(?![\\p{L}\\p{N}_+/=-]|\\.[\\p{L}\\p{N}_])`, 'gu');

/** The text with every identifier of the person (number, ids, usernames, profile names) replaced by `by`. */
export function cutPerson(p: PersonIds, text: string, by: string): string {
  let t = text;
  // The longest first: a user id can contain the digits of nothing else, but E.164 contains the wa_id.
  for (const n of [...(p.e164 ? [p.e164] : []), ...idNeedles(p)].sort((a, b) => b.length - a.length))
    if (t.includes(n)) t = t.split(n).join(by);
  for (const n of [...p.usernames, ...p.names]) if (t.includes(n)) t = t.replace(wordRe(n), by);
  return t;
}

const theirs = (p: PersonIds, phone: unknown, userId: unknown, parentId: unknown): boolean => {
  const w = str(phone);
  const u = str(userId);
  const pu = str(parentId);
  return (p.waId !== null && w === p.waId) || (u !== null && p.userIds.has(u)) || (pu !== null && p.parentUserIds.has(pu));
};

const usernameOf = (c: Obj): string | null => (isObj(c.profile) ? str(c.profile.username) : null) ?? str(c.username);

/** Is this `contacts[]` entry the person (by number, user id, parent id or username)? */
function theirContact(p: PersonIds, c: Obj): boolean {
  const u = usernameOf(c);
  return theirs(p, c.wa_id, c.user_id, c.parent_user_id) || (u !== null && p.usernames.has(u));
}

const theirMessage = (p: PersonIds, m: Obj) => theirs(p, m.from, m.from_user_id, m.from_parent_user_id);
const theirStatus = (p: PersonIds, s: Obj) => theirs(p, s.recipient_id, s.recipient_user_id, s.recipient_parent_user_id);
const theirPreference = (p: PersonIds, x: Obj) => theirs(p, x.wa_id, x.user_id, x.parent_user_id);

const STATUS_PERSON_FIELDS = ['recipient_id', 'recipient_user_id', 'recipient_parent_user_id', 'recipient_identity_key_hash'];
const ACTION_PERSON_FIELDS = ['from', 'wa_id', 'user_id', 'parent_user_id'];

/**
 * A parsed webhook body without the person, in place: their messages, contact profiles and
 * preference changes removed; their statuses kept (counts) without any field naming them; a click
 * no longer says whose it was. Profile names met in their contacts entries join `p.names`. Answers
 * whether the body named them, and calls `onWamid` with the ids of their messages and statuses.
 */
export function redactDoc(p: PersonIds, doc: unknown, onWamid?: (wamid: string) => void): boolean {
  let named = false;
  if (!isObj(doc) || !Array.isArray(doc.entry)) return false;
  for (const entry of doc.entry) {
    if (!isObj(entry) || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes) {
      const value = isObj(change) && isObj(change.value) ? change.value : null;
      if (!value) continue;
      if (Array.isArray(value.contacts)) {
        value.contacts = value.contacts.filter((c) => {
          if (!isObj(c) || !theirContact(p, c)) return true;
          const name = isObj(c.profile) ? str(c.profile.name) : null;
          if (name && name.trim().length >= MIN_NAME) p.names.add(name);
          const u = usernameOf(c);
          if (u) p.usernames.add(u);
          named = true;
          return false;
        });
      }
      if (Array.isArray(value.messages)) {
        value.messages = value.messages.filter((m) => {
          if (!isObj(m) || !theirMessage(p, m)) return true;
          if (onWamid && typeof m.id === 'string') onWamid(m.id);
          if (onWamid && isObj(m.context) && typeof m.context.id === 'string') onWamid(m.context.id);
          named = true;
          return false;
        });
      }
      for (const s of Array.isArray(value.statuses) ? value.statuses : []) {
        if (!isObj(s) || !theirStatus(p, s)) continue;
        if (onWamid && typeof s.id === 'string') onWamid(s.id);
        for (const f of STATUS_PERSON_FIELDS) delete s[f];
        named = true;
      }
      if (Array.isArray(value.user_preferences)) {
        value.user_preferences = value.user_preferences.filter((x) => {
          if (!isObj(x) || !theirPreference(p, x)) return true;
          named = true;
          return false;
        });
      }
      for (const a of Array.isArray(value.user_actions) ? value.user_actions : []) {
        if (!isObj(a) || !theirs(p, a.from ?? a.wa_id, a.user_id, a.parent_user_id)) continue;
        for (const f of ACTION_PERSON_FIELDS) delete a[f];
        named = true;
      }
    }
  }
  return named;
}

/**
 * A pending status's event (webhooks/processor.ts keeps the parsed StatusEvent as JSON) without the
 * person: every field naming them is null (not an empty string: nothing reads "whose" from it
 * again), the rest kept so it still applies to its ledger row. Answers null when it is not theirs.
 */
export function redactStatusEvent(p: PersonIds, event: string): string | null {
  let ev: unknown;
  try {
    ev = JSON.parse(event);
  } catch {
    return null;
  }
  if (!isObj(ev)) return null;
  const u = str(ev.username);
  if (!theirs(p, ev.recipientId, ev.recipientUserId, ev.recipientParentUserId) && !(u !== null && p.usernames.has(u))) return null;
  for (const f of ['recipientId', 'recipientUserId', 'recipientParentUserId', 'username', 'recipientIdentityKeyHash']) ev[f] = null;
  return JSON.stringify(ev);
}
