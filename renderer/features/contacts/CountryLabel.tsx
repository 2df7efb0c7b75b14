import { useStore } from '../../store';

const namesCache = new Map<string, Intl.DisplayNames>();

/** A country code named in the UI language ("IL" → "Israel" / "ישראל" / "以色列"), the code as a hint. */
export function CountryLabel({ code }: { code: string | null }) {
  const language = useStore((s) => s.language);
  if (!code) return <span className="muted">—</span>;
  let names = namesCache.get(language);
  if (!names) namesCache.set(language, (names = new Intl.DisplayNames([language], { type: 'region' })));
  return <span title={names.of(code) ?? code}>{code}</span>;
}
