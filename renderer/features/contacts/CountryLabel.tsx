import { useStore } from '../../store';

const namesCache = new Map<string, Intl.DisplayNames>();

/**
 * A country code named in the UI language ("IL" → "Israel" / "ישראל" / "以色列"). The table shows
 * the code with the name as a tooltip; `full` shows "Israel (IL)".
 */
export function CountryLabel({ code, full }: { code: string | null; full?: boolean }) {
  const language = useStore((s) => s.language);
  if (!code) return <span className="muted">—</span>;
  let names = namesCache.get(language);
  if (!names) namesCache.set(language, (names = new Intl.DisplayNames([language], { type: 'region' })));
  const name = names.of(code) ?? code;
  return full ? (
    <span>
      {name} <span className="muted">({code})</span>
    </span>
  ) : (
    <span title={name}>{code}</span>
  );
}
