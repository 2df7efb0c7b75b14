/**
 * Guesses which column is which from its header (English, Hebrew, Chinese; Google, Outlook and
 * vCard exports) and the type of attribute columns from their values.
 */
import type { AttributeType, BuiltinImportField, MappingEntry } from '../../../../shared/contract/contacts';
import { EURO_PHONE_ANY, EURO_PHONE_MOBILE, EURO_WORDS, foldKey } from './header-words';

/** Header text → comparable key: lower case, no spaces/punctuation (keeps letters of any script). */
export const headerKey = (h: string) =>
  h
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\s_\-.:()'"״׳?]+/g, '');

/**
 * Consent column headers as headerKey leaves them ("הסכמה לדיוור" → "הסכמהלדיוור", "Opt-in" →
 * "optin"). A file's own consent column must be recognised: otherwise the options' blanket box
 * would opt in the rows whose file says no.
 */
const CONSENT_HEADERS = [
  'consent',
  'optin',
  'optedin',
  'marketingconsent',
  'marketingoptin',
  'whatsappoptin',
  'whatsappconsent',
  'subscribed',
  'agreed',
  'acceptsmarketing',
  'acceptsmessages',
  'הסכמה',
  'הסכמהלדיוור',
  'הסכמהלקבלתדיוור',
  'מאשרדיוור',
  'מאשרתדיוור',
  'אישורדיוור',
  'אישורקבלתדיוור',
  'מסכיםלקבל',
  'מסכיםלדיוור',
  'דיוור',
  '同意',
  '同意接收',
  '同意接收行銷',
  '同意接收行销',
  '訂閱',
  '订阅',
  '接收行銷',
  '接收行销',
  '願意接收',
  '愿意接收',
  '行銷同意',
  '营销同意',
];

const WORDS: Record<Exclude<BuiltinImportField, 'phone'>, string[]> = {
  first_name: ['firstname', 'first', 'givenname', 'given', 'forename', 'שםפרטי', 'פרטי', '名', '名字'],
  last_name: ['lastname', 'last', 'familyname', 'family', 'surname', 'שםמשפחה', 'משפחה', '姓', '姓氏'],
  name: ['name', 'fullname', 'displayname', 'contactname', 'contact', 'שם', 'שםמלא', '姓名', '名稱', '名称', '聯絡人', '联系人'],
  email: [
    'email',
    'emailaddress',
    'mail',
    'email1value',
    'emailaddress1',
    'אימייל',
    'דואל',
    'דוארלקטרוני',
    'מייל',
    '電子郵件',
    '电子邮件',
    '郵箱',
    '邮箱',
    '電郵',
  ],
  tags: [
    'tags',
    'tag',
    'labels',
    'label',
    'groups',
    'group',
    'groupmembership',
    'categories',
    'category',
    'תגיות',
    'תגית',
    'קבוצה',
    'קבוצות',
    '標籤',
    '标签',
    '分類',
    '分类',
    '群組',
  ],
  consent: CONSENT_HEADERS,
  country: ['country', 'countrycode', 'מדינה', '國家', '国家'],
  // WhatsApp business-scoped user id and username (Pacer's own export writes whatsapp_user_id /
  // whatsapp_username; Meta calls them BSUID and username).
  user_id: [
    'whatsappuserid',
    'bsuid',
    'businessscopeduserid',
    'wauserid',
    'מזההוואטסאפ',
    'מזההמשתמשוואטסאפ',
    'whatsapp用戶id',
    'whatsapp用户id',
  ],
  username: ['whatsappusername', 'wausername', 'שםמשתמשוואטסאפ', 'whatsapp使用者名稱', 'whatsapp用户名'],
};

/** Phone headers, best first (a mobile column beats a home or business one). */
const PHONE_MOBILE = [
  'mobile',
  'mobilephone',
  'mobilenumber',
  'cell',
  'cellphone',
  'cellular',
  'whatsapp',
  'נייד',
  'טלפוןנייד',
  'סלולרי',
  'סלולר',
  'פלאפון',
  '手機',
  '手机',
  '行動電話',
  '手機號碼',
  '手机号码',
  '移動電話',
  '移动电话',
];
const PHONE_ANY = [
  'phone',
  'phonenumber',
  'tel',
  'telephone',
  'msisdn',
  'number',
  'primaryphone',
  'טלפון',
  'מספרטלפון',
  'טל',
  '電話',
  '电话',
  '電話號碼',
  '电话号码',
  '聯絡電話',
  '联系电话',
];
const PHONE_OTHER = [
  'homephone',
  'businessphone',
  'otherphone',
  'home',
  'work',
  'businessphone2',
  'homephone2',
  'companymainphone',
  'טלפוןבבית',
  'טלפוןבעבודה',
  '住家電話',
  '公司電話',
];

function phoneRank(key: string): number {
  if (PHONE_MOBILE.includes(key) || EURO_PHONE_MOBILE.includes(foldKey(key))) return 0;
  if (PHONE_ANY.includes(key) || EURO_PHONE_ANY.includes(foldKey(key))) return 1;
  if (/^phone\d+value$/.test(key)) return 2; // Google: "Phone 1 - Value"
  if (PHONE_OTHER.includes(key)) return 3;
  return -1;
}

/** Guessed mapping for the given headers; `samples` (first rows) type attribute columns. */
export function guessMapping(headers: string[], samples: string[][]): MappingEntry[] {
  const phones: { column: string; rank: number; index: number }[] = [];
  const out: MappingEntry[] = [];
  const taken = new Set<string>();
  headers.forEach((h, index) => {
    const key = headerKey(h);
    const attr = /^attr\.(.+)$/i.exec(h.trim());
    if (attr) {
      const name = attr[1]!.trim();
      if (/^[\p{L}\p{N}_-]{1,64}$/u.test(name)) {
        out.push({ column: h, field: `attr.${name}`, type: guessType(samples.map((r) => r[index] ?? '')) });
      }
      return;
    }
    const rank = phoneRank(key);
    if (rank >= 0) {
      phones.push({ column: h, rank, index });
      return;
    }
    for (const [field, words] of Object.entries(WORDS) as [Exclude<BuiltinImportField, 'phone'>, string[]][]) {
      if ((words.includes(key) || EURO_WORDS[field].includes(foldKey(key))) && !taken.has(field)) {
        taken.add(field);
        out.push({ column: h, field });
        return;
      }
    }
  });
  // If the sheet has a column named just "Name" and first/last too, the full name is still useful.
  phones.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return [...phones.map((p) => ({ column: p.column, field: 'phone' as const })), ...out];
}

const BOOL_WORDS = new Set(['true', 'false', 'yes', 'no', 'y', 'n', '1', '0', 'כן', 'לא', '是', '否', 'v', 'x']);

export function guessType(values: string[]): AttributeType {
  const vs = values.map((v) => v.trim()).filter(Boolean);
  if (!vs.length) return 'text';
  if (vs.every((v) => BOOL_WORDS.has(v.toLowerCase())) && vs.some((v) => !/^[01]$/.test(v))) return 'boolean';
  if (vs.every((v) => parseNumber(v) !== null)) return 'number';
  if (vs.every((v) => parseDate(v) !== null)) return 'date';
  return 'text';
}

export function parseNumber(v: string): number | null {
  const s = v.trim().replace(/(?<=\d),(?=\d{3}\b)/g, '');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** 'YYYY-MM-DD' from ISO dates or D/M/YYYY (day first, as in Israel and most of the world). */
export function parseDate(v: string): string | null {
  const s = v.trim();
  let y: number, m: number, d: number;
  let r = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$/.exec(s);
  if (r) {
    y = +r[1]!;
    m = +r[2]!;
    d = +r[3]!;
  } else if ((r = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(s))) {
    d = +r[1]!;
    m = +r[2]!;
    y = +r[3]!;
  } else if ((r = /^(\d{4})[/年](\d{1,2})[/月](\d{1,2})日?$/.exec(s))) {
    y = +r[1]!;
    m = +r[2]!;
    d = +r[3]!;
  } else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

export function parseBoolean(v: string): boolean | null {
  const s = v.trim().toLowerCase();
  if (['true', 'yes', 'y', '1', 'כן', '是', 'v'].includes(s)) return true;
  if (['false', 'no', 'n', '0', 'לא', '否', 'x'].includes(s)) return false;
  return null;
}

/** A consent cell as compared: lower case, NFKC (full-width → ASCII), `_`/`-`/spaces as one space. */
const consentKey = (v: string) =>
  v
    .normalize('NFKC')
    .toLowerCase()
    .trim()
    .replace(/[\s_-]+/g, ' ');

/** Cell values that say no (English, Hebrew in both genders, Traditional and Simplified Chinese). */
const CONSENT_OUT = new Set([
  'no',
  'n',
  'false',
  '0',
  'opted out',
  'optout',
  'opt out',
  'unsubscribed',
  'declined',
  'stop',
  'לא',
  'לא מאשר',
  'לא מאשרת',
  'לא מסכים',
  'לא מסכימה',
  'הוסר',
  'הסרה',
  '否',
  '不同意',
  '不願意',
  '不愿意',
  '取消訂閱',
  '取消订阅',
  '退訂',
  '退订',
  'nein',
  'non',
  'нет',
  'لا',
  'abgemeldet',
  'désabonné',
  'отписан',
]);
const CONSENT_IN = new Set([
  'yes',
  'y',
  'true',
  '1',
  'opted in',
  'optin',
  'opt in',
  'subscribed',
  'agreed',
  'כן',
  'מאשר',
  'מאשרת',
  'מסכים',
  'מסכימה',
  '是',
  '同意',
  '願意',
  '愿意',
  '訂閱',
  '订阅',
  'ja',
  'oui',
  'si',
  'sí',
  'sì',
  'да',
  'نعم',
  'موافق',
]);

/**
 * A consent cell: 'in' (yes), 'out' (no: recorded as an opt-out), null (empty: nothing said), or
 * 'unrecognised' (a value such as "maybe": nothing recorded, never taken for a yes).
 */
export function parseConsentCell(v: string): 'in' | 'out' | 'unrecognised' | null {
  const s = consentKey(v);
  if (!s) return null;
  if (CONSENT_OUT.has(s)) return 'out';
  if (CONSENT_IN.has(s)) return 'in';
  return 'unrecognised';
}
