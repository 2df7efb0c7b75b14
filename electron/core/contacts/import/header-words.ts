/**
 * Column headers in the languages of Pacer's European and Middle-Eastern users (German, French,
 * Spanish, Italian, Russian, Arabic), for the fields the guesser maps (guess.ts keeps English,
 * Hebrew and Chinese and the export formats). Words are written as `foldKey` leaves a header:
 * headerKey (lower case, no spaces or punctuation) and then without diacritics, so "Téléphone
 * portable", "telephone-portable" and "TELEPHONE PORTABLE" are one key.
 *
 * Name words follow each language's forms: French "Nom" is the family name (beside "Prénom"),
 * Italian "Nome"/"Cognome", Spanish "Nombre"/"Apellidos", Russian "Имя"/"Фамилия" and "ФИО" (full
 * name), Arabic "الاسم" (full name).
 */
import type { BuiltinImportField } from '../../../../shared/contract/contacts';

/** headerKey's result without combining marks (accents; Arabic and Hebrew vowel points). */
export const foldKey = (key: string) => key.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');

const WORDS: Record<Exclude<BuiltinImportField, 'phone'>, string[]> = {
  first_name: ['vorname', 'rufname', 'prenom', 'nombre', 'nome', 'имя', 'الاسمالأول', 'الاسمالاول', 'اسمالأول'],
  last_name: ['nachname', 'familienname', 'nom', 'nomdefamille', 'apellido', 'apellidos', 'cognome', 'фамилия', 'اسمالعائلة', 'الاسمالأخير', 'العائلة', 'اللقب'],
  name: ['vollstandigername', 'kontakt', 'nomcomplet', 'nombrecompleto', 'nomecompleto', 'фио', 'полноеимя', 'контакт', 'الاسم', 'اسم', 'الاسمالكامل', 'جهةالاتصال'],
  email: ['emailadresse', 'mailadresse', 'courriel', 'adressemail', 'adresseemail', 'correo', 'correoelectronico', 'postaelettronica', 'indirizzoemail', 'почта', 'электроннаяпочта', 'емейл', 'элпочта', 'البريدالإلكتروني', 'البريدالالكتروني', 'بريدإلكتروني', 'الايميل', 'الإيميل'],
  tags: ['schlagworter', 'gruppe', 'gruppen', 'kategorie', 'etiquette', 'etiquettes', 'groupe', 'etiqueta', 'etiquetas', 'grupo', 'etichetta', 'etichette', 'gruppo', 'теги', 'метки', 'группа', 'وسوم', 'الوسوم', 'المجموعة', 'تصنيف'],
  consent: ['einwilligung', 'zustimmung', 'werbeeinwilligung', 'newsletter', 'consentement', 'optinmarketing', 'consentimiento', 'consenso', 'consensomarketing', 'согласие', 'согласиенарассылку', 'подписка', 'موافقة', 'الموافقة', 'الاشتراك'],
  country: ['land', 'pays', 'pais', 'paese', 'nazione', 'страна', 'الدولة', 'البلد', 'دولة'],
};

/** Mobile-phone headers (rank 0 in guess.ts: a mobile column beats a landline one). */
const PHONE_MOBILE = [
  'handy', 'handynummer', 'mobil', 'mobilnummer', 'mobiltelefon', 'mobilfunknummer', 'mobilfunk',
  'portable', 'telephoneportable', 'numerodeportable', 'numeroportable', 'telportable',
  'movil', 'telefonomovil', 'numeromovil', 'numerodemovil', 'celular', 'numerodecelular',
  'cellulare', 'numerodicellulare', 'numerocellulare', 'telefonocellulare',
  'мобильный', 'мобильныйтелефон', 'сотовый', 'сотовыйтелефон', 'мобильныйномер', 'номермобильного',
  'جوال', 'الجوال', 'رقمالجوال', 'موبايل', 'رقمالموبايل', 'محمول', 'رقمالمحمول', 'واتساب', 'رقمالواتساب',
];
/** Any-phone headers (rank 1). */
const PHONE_ANY = [
  'telefon', 'telefonnummer', 'rufnummer', 'telefonnr', 'telnr',
  'telephone', 'numerodetelephone', 'numero', 'numerotelephone',
  'telefono', 'numerodetelefono', 'numerotelefono', 'numeroditelefono',
  'телефон', 'номертелефона', 'номер', 'тел',
  'هاتف', 'الهاتف', 'رقمالهاتف', 'رقم', 'رقمالتليفون', 'تليفون',
];

// Folded like the headers they are compared with ("й" and "أ" lose their marks on both sides).
const fold = (words: string[]) => words.map(foldKey);
export const EURO_WORDS = Object.fromEntries(Object.entries(WORDS).map(([k, v]) => [k, fold(v)])) as typeof WORDS;
export const EURO_PHONE_MOBILE = fold(PHONE_MOBILE);
export const EURO_PHONE_ANY = fold(PHONE_ANY);
