import i18next from 'i18next';

/** A failed call as the core answers it (shared/contract/result.ts ApiError). */
export interface ErrorLike {
  code: string;
  message: string;
  details?: unknown;
}

/**
 * A failed call's words for the user where no screen-specific sentence exists for it. In English,
 * the core's own sentence (specific: which field, which file). In another language, the sentence
 * for its error code — never the core's English on a Hebrew or Chinese screen. The code decides;
 * the English text is never read (test/unit/foundation/no-message-parsing.test.ts).
 */
export function errorText(r: ErrorLike, lng: string = i18next.language): string {
  if (!lng || lng.startsWith('en')) return r.message;
  return i18next.t(`common:errors.code.${r.code}`, { lng, defaultValue: i18next.t('common:errors.code.internal', { lng }) });
}
