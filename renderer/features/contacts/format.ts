import { useMemo } from 'react';
import { useStore } from '../../store';

/** Numbers and times in the UI language (Hebrew and Chinese users see their own conventions). */
export function useFormat() {
  const language = useStore((s) => s.language);
  return useMemo(() => {
    const num = new Intl.NumberFormat(language);
    const time = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    const bytes = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
    return {
      n: (v: number) => num.format(v),
      time: (ms: number) => time.format(new Date(ms)),
      size: (b: number) => (b >= 1e6 ? `${bytes.format(b / 1e6)} MB` : b >= 1e3 ? `${bytes.format(b / 1e3)} KB` : `${num.format(b)} B`),
    };
  }, [language]);
}

/** Offers `content` as a file download (the browser harness and Electron both honour <a download>). */
export function downloadFile(fileName: string, content: BlobPart, mime: string) {
  const url = URL.createObjectURL(new Blob([content], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A value from the user's data (a column name, a cell) set inside a translated sentence: isolated
 * (FSI … PDI) so a Hebrew name in an English sentence, or the reverse, keeps its own direction and
 * does not reorder the words around it.
 */
export const isolate = (value: string) => `\u2068${value}\u2069`;
