import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Send } from 'lucide-react';
import type { TestSendOutcome, TestSendResult } from '../../../../shared/contract/campaigns';
import type { TemplateSummary } from '../../../../shared/contract/whatsapp';
import { splitTestNumbers, TEST_SEND_MAX } from '../../../../shared/campaigns/test-numbers';
import { api } from '../../../api/client';
import { errorHelpKeys } from '../errorHelp';

/** Why the "Send test" button is disabled (a campaigns-namespace key with its values), or null. */
function whyDisabled(
  t: TFunction<'campaigns'>,
  template: TemplateSummary | null,
  problems: readonly string[],
  n: number,
  busy: boolean,
): string | null {
  if (busy) return t('test.why.busy');
  if (!template) return t('test.why.template');
  if (problems.length) return t('test.why.problems', { problem: t(`builder.invalid.${problems[0]}`) });
  if (n === 0) return t('test.why.noNumbers');
  if (n > TEST_SEND_MAX) return t('test.why.tooMany', { max: TEST_SEND_MAX, n });
  return null;
}

/** Numbers inside translated text stay one left-to-right run (Unicode isolate), also in Hebrew. */
const ltr = (s: string) => `\u2066${s}\u2069`;

/**
 * A refused number: what is wrong, for which country it was read (its "+" code or the default
 * country), and what a mobile number there looks like — so the user can fix the digits.
 */
function invalidNumberText(t: TFunction<'campaigns'>, language: string, p: TestSendOutcome['params']): string {
  if (p.kind === 'no_phone') return t('test.reason.no_phone');
  if (!p.country) return t(p.kind === 'not_mobile' ? 'test.reason.not_mobile' : 'test.reason.invalid_number');
  let country = p.country;
  try {
    country = new Intl.DisplayNames([language], { type: 'region' }).of(p.country) ?? p.country;
  } catch {
    /* keep the code */
  }
  const vars = { country, code: ltr(`+${p.calling_code ?? ''}`) };
  const what =
    p.kind === 'not_mobile'
      ? t('test.reason.not_mobile_in', vars)
      : p.length === 'too_short'
        ? t('test.reason.too_short_in', vars)
        : p.length === 'too_long'
          ? t('test.reason.too_long_in', vars)
          : t('test.reason.invalid_in', vars);
  return p.example ? `${what} ${t('test.reason.example', { example: ltr(p.example) })}` : what;
}

/** One number's outcome in the user's language, from the core's reason code and params. */
function outcomeText(t: TFunction<'campaigns'>, language: string, r: TestSendOutcome): string {
  if (r.ok) return r.consent_recorded ? `${t('test.accepted')} ${t('test.consentRecorded')}` : t('test.accepted');
  const p = r.params;
  switch (r.reason) {
    case 'invalid_number':
      return invalidNumberText(t, language, p);
    case 'opted_out':
      return t(p.category === 'utility' ? 'test.reason.opted_out_utility' : 'test.reason.opted_out_marketing');
    case 'no_consent':
      return t(p.is_contact ? 'test.reason.no_consent_contact' : 'test.reason.no_consent_stranger');
    case 'erased':
      return t('test.reason.erased', {
        date: p.erased_at ? new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(p.erased_at) : '—',
      });
    case 'missing_params':
      return t('test.reason.missing_params', { names: (p.names ?? []).join(', ') });
    case 'budget':
      return t('test.reason.budget', { limit: new Intl.NumberFormat(language).format(p.limit ?? 0) });
    case 'graph_error':
      return t('test.reason.graph_error', { code: r.error_code ?? '', what: t(errorHelpKeys(r.error_code, null).what) });
    case 'duplicate':
    case 'held_number_changed':
    case 'us_marketing_paused':
    case 'send_failed':
      return t(`test.reason.${r.reason}`);
    case null:
      return t('test.reason.send_failed');
  }
}

/**
 * Sends the saved campaign's message now to a few numbers (saving the draft first if needed). The
 * core gates each number like a campaign recipient and says per number why one was not sent.
 */
export function TestSendPanel({
  ensureSaved,
  template,
  problems,
}: {
  ensureSaved: () => Promise<string | null>;
  template: TemplateSummary | null;
  problems: readonly string[];
}) {
  const { t, i18n } = useTranslation('campaigns');
  const [to, setTo] = useState('');
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TestSendResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const numbers = splitTestNumbers(to);
  const marketing = template?.category.toUpperCase() === 'MARKETING';
  const why = whyDisabled(t, template, problems, numbers.length, busy);
  const send = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    const id = await ensureSaved();
    if (id) {
      const r = await api.call('campaigns:test-send', { id, to: numbers, ...(marketing && consent ? { i_have_consent: true } : {}) });
      if (r.ok) setResult(r.value);
      else setError(t(`test.error.${r.code === 'conflict' || r.code === 'unavailable' || r.code === 'bad_input' ? r.code : 'other'}`));
    }
    setBusy(false);
  };
  return (
    <section className="card cmp-test" aria-labelledby="test-title" data-testid="test-send">
      <h2 id="test-title">{t('test.title')}</h2>
      <textarea
        className="input cmp-test-numbers"
        dir="ltr"
        rows={3}
        value={to}
        onChange={(e) => setTo(e.target.value)}
        placeholder={'+972 50 234 5678\n+44 7400 123456, 050-234-5678'}
        aria-label={t('test.numbers')}
        aria-describedby="cmp-test-hint"
        data-testid="test-numbers"
      />
      <span id="cmp-test-hint" className="hint small muted">
        {t('test.hint', { max: TEST_SEND_MAX })}
      </span>
      {marketing && (
        <label className="cmp-check small">
          <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} data-testid="test-consent" />
          {t('test.consent')}
        </label>
      )}
      <div className="cmp-row">
        <button
          className="btn"
          disabled={why !== null}
          aria-describedby={why ? 'cmp-test-why' : undefined}
          onClick={() => void send()}
          data-testid="test-send-button"
        >
          <Send size={15} aria-hidden />
          {t('test.send')}
        </button>
        {why && (
          <span id="cmp-test-why" className="small muted" data-testid="test-send-why">
            {why}
          </span>
        )}
      </div>
      {error && (
        <p className="small cmp-error" role="alert" data-testid="test-error">
          {error}
        </p>
      )}
      {result && (
        <ul className="cmp-test-results small" data-testid="test-results" aria-live="polite">
          {result.results.map((r, i) => (
            <li
              key={`${i}-${r.input}`}
              className={r.ok ? 'ok' : 'bad'}
              data-testid="test-result"
              data-ok={r.ok}
              data-reason={r.reason ?? ''}
            >
              <bdi className="ltr mono">{r.to}</bdi> — {outcomeText(t, i18n.language, r)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
