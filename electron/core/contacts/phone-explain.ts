/**
 * Why a typed number was refused, in terms a person can act on: which country the number was read
 * for (its "+" country code, else the default country from Settings), whether it has too few or too
 * many digits for that country, and an example mobile number of that country in international
 * format. The test send (and the add-contact form) shows this next to the number as typed, so "+44
 * 7700 900123" reads "not a valid number in the United Kingdom (+44), e.g. +44 7400 123456" instead
 * of a bare "invalid". The normaliser itself (phone.ts) stays the single judge of valid/invalid;
 * this only words its refusal.
 */
import {
  getCountryCallingCode,
  getExampleNumber,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  Metadata,
  type CountryCode,
} from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';

export interface PhoneExplanation {
  /** ISO country the number was read for (from its country code, else the default country). */
  country: string;
  /** That country's calling code, digits only ("972"). */
  calling_code: string;
  /** An example mobile number of that country, international format ("+972 50 234 5678"); '' when none. */
  example: string;
  /** 'too_short' / 'too_long' when the digit count alone rules it out for that country. */
  length: 'too_short' | 'too_long' | null;
}

const metadata = new Metadata() as unknown as { getCountryCodesForCallingCode(cc: string): string[] | undefined };

function exampleOf(country: string): string {
  try {
    return getExampleNumber(country as CountryCode, examples)?.formatInternational() ?? '';
  } catch {
    return '';
  }
}

/** The country a refused number was read for, its calling code, the length verdict and an example. */
export function explainPhone(raw: string, defaultCountry: string): PhoneExplanation {
  const text = raw.trim();
  const intl = /^\s*(\+|00)/.test(text);
  const parsed = parsePhoneNumberFromString(text.replace(/^00/, '+'), defaultCountry as CountryCode);
  let country = defaultCountry;
  if (intl && parsed) country = parsed.country ?? metadata.getCountryCodesForCallingCode(parsed.countryCallingCode)?.[0] ?? defaultCountry;
  let callingCode: string;
  try {
    callingCode = intl && parsed ? parsed.countryCallingCode : getCountryCallingCode(country as CountryCode);
  } catch {
    callingCode = '';
  }
  let length: PhoneExplanation['length'] = null;
  try {
    const v = validatePhoneNumberLength(text.replace(/^00/, '+'), country as CountryCode);
    if (v === 'TOO_SHORT') length = 'too_short';
    else if (v === 'TOO_LONG') length = 'too_long';
  } catch {
    /* not a number at all: no length verdict */
  }
  return { country, calling_code: callingCode, example: exampleOf(country), length };
}
