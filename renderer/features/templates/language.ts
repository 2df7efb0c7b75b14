import { useMemo } from 'react';
import { useStore } from '../../store';
import { languageTag } from '../../../shared/templates/render';

/** Names a template language (Meta's `zh_TW`) in the UI language: "Chinese (Taiwan)", "סינית (טייוואן)". */
export function useLanguageName(): (code: string) => string {
  const language = useStore((s) => s.language);
  return useMemo(() => {
    let names: Intl.DisplayNames | null = null;
    try {
      names = new Intl.DisplayNames([language], { type: 'language' });
    } catch {
      names = null;
    }
    return (code: string) => {
      try {
        return names?.of(languageTag(code)) ?? code;
      } catch {
        return code;
      }
    };
  }, [language]);
}
