import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UserPlus } from 'lucide-react';
import { CONSENT_CATEGORIES, type ConsentCategory } from '../../../shared/contract/contacts';
import { api } from '../../api/client';
import { useStore } from '../../store';
import { Modal } from './Modal';

interface PhoneDetails {
  field?: string;
  kind?: string;
  country?: string;
  calling_code?: string;
  example?: string;
  length?: string | null;
  reason?: string;
  id?: number;
}

/**
 * Add one contact by hand: the phone in any format the import takes (national numbers in the
 * default country), a name, tags, and — optionally — consent with how it was given (required then:
 * it is the evidence). The core checks the number and answers codes with details; this form words
 * them (which country the number was read for, what a valid one looks like, an existing contact).
 */
export function AddContactDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation('contacts');
  const language = useStore((s) => s.language);
  const openContact = useStore((s) => s.openContact);
  const changed = useStore((s) => s.contactsChanged);
  const [v, setV] = useState({
    phone: '',
    first: '',
    last: '',
    email: '',
    tags: '',
    consent: false,
    category: 'marketing' as ConsentCategory,
    source: '',
    evidence: '',
  });
  const [error, setError] = useState<{ text: string; existing?: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (p: Partial<typeof v>) => setV({ ...v, ...p });
  const why = !v.phone.trim() ? t('add.why.phone') : v.consent && !v.source.trim() ? t('add.why.source') : null;

  const phoneError = (d: PhoneDetails) => {
    if (d.kind === 'no_phone' || !d.country) return t('add.error.phone');
    let country = d.country;
    try {
      country = new Intl.DisplayNames([language], { type: 'region' }).of(d.country) ?? d.country;
    } catch {
      /* the code */
    }
    const vars = { country, code: `\u2066+${d.calling_code ?? ''}\u2069` };
    const what =
      d.kind === 'not_mobile'
        ? t('add.error.notMobile', vars)
        : d.length === 'too_short'
          ? t('add.error.tooShort', vars)
          : d.length === 'too_long'
            ? t('add.error.tooLong', vars)
            : t('add.error.invalid', vars);
    return d.example ? `${what} ${t('add.error.example', { example: `\u2066${d.example}\u2069` })}` : what;
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    const tags = v.tags
      .split(/[,;]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const r = await api.call('contacts:add', {
      phone: v.phone,
      ...(v.first.trim() ? { first_name: v.first } : {}),
      ...(v.last.trim() ? { last_name: v.last } : {}),
      ...(v.email.trim() ? { email: v.email } : {}),
      ...(tags.length ? { tags } : {}),
      ...(v.consent ? { consent: { category: v.category, source: v.source, ...(v.evidence.trim() ? { evidence: v.evidence } : {}) } } : {}),
    });
    setBusy(false);
    if (r.ok) {
      changed();
      onClose();
      openContact(r.value.id);
      return;
    }
    const d = (r.details ?? {}) as PhoneDetails;
    if (r.code === 'bad_input' && d.field === 'phone') setError({ text: phoneError(d) });
    else if (r.code === 'bad_input' && d.field === 'email') setError({ text: t('add.error.email') });
    else if (r.code === 'conflict' && d.reason === 'exists') setError({ text: t('add.error.exists'), existing: d.id });
    else if (r.code === 'conflict' && d.reason === 'erased') setError({ text: t('add.error.erased') });
    else setError({ text: t('add.error.other') });
  };

  const footer = (
    <>
      {why && (
        <span className="small muted" data-testid="add-why">
          {why}
        </span>
      )}
      <span className="grow" />
      <button className="btn" onClick={onClose}>
        {t('common:actions.cancel')}
      </button>
      <button className="btn primary" disabled={why !== null || busy} onClick={() => void save()} data-testid="add-save">
        <UserPlus size={16} aria-hidden />
        {t('add.save')}
      </button>
    </>
  );
  return (
    <Modal title={t('add.title')} onClose={onClose} footer={footer} testId="add-contact">
      {error && (
        <p className="banner error small" role="alert" data-testid="add-error">
          {error.text}
          {error.existing !== undefined && (
            <button
              className="btn ghost"
              onClick={() => {
                onClose();
                openContact(error.existing!);
              }}
              data-testid="add-open-existing"
            >
              {t('add.openExisting')}
            </button>
          )}
        </p>
      )}
      <div className="grid cols-2 add-contact">
        <div className="field">
          <label htmlFor="add-phone">{t('add.phone')}</label>
          <input
            id="add-phone"
            className="input"
            dir="ltr"
            value={v.phone}
            onChange={(e) => set({ phone: e.target.value })}
            placeholder="+972 50 234 5678"
            data-autofocus
            data-testid="add-phone"
            aria-describedby="add-phone-hint"
          />
          <span id="add-phone-hint" className="hint">
            {t('add.phoneHint')}
          </span>
        </div>
        <div className="field">
          <label htmlFor="add-email">{t('add.email')}</label>
          <input
            id="add-email"
            className="input"
            dir="ltr"
            type="email"
            value={v.email}
            onChange={(e) => set({ email: e.target.value })}
            data-testid="add-email"
          />
        </div>
        <div className="field">
          <label htmlFor="add-first">{t('add.first')}</label>
          <input
            id="add-first"
            className="input"
            dir="auto"
            value={v.first}
            onChange={(e) => set({ first: e.target.value })}
            data-testid="add-first"
          />
        </div>
        <div className="field">
          <label htmlFor="add-last">{t('add.last')}</label>
          <input
            id="add-last"
            className="input"
            dir="auto"
            value={v.last}
            onChange={(e) => set({ last: e.target.value })}
            data-testid="add-last"
          />
        </div>
        <div className="field span-2">
          <label htmlFor="add-tags">{t('add.tags')}</label>
          <input
            id="add-tags"
            className="input"
            dir="auto"
            value={v.tags}
            onChange={(e) => set({ tags: e.target.value })}
            placeholder={t('add.tagsPlaceholder')}
            data-testid="add-tags"
          />
        </div>
        <div className="field span-2">
          <label className="check">
            <input type="checkbox" checked={v.consent} onChange={(e) => set({ consent: e.target.checked })} data-testid="add-consent" />
            {t('add.consent')}
          </label>
          {v.consent && (
            <div className="grid cols-2">
              <select
                className="input"
                value={v.category}
                onChange={(e) => set({ category: e.target.value as ConsentCategory })}
                aria-label={t('add.category')}
                data-testid="add-category"
              >
                {CONSENT_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {t(`consent.category.${c}`)}
                  </option>
                ))}
              </select>
              <input
                className="input"
                dir="auto"
                value={v.source}
                onChange={(e) => set({ source: e.target.value })}
                placeholder={t('add.sourcePlaceholder')}
                aria-label={t('add.source')}
                data-testid="add-source"
              />
              <input
                className="input span-2"
                dir="auto"
                value={v.evidence}
                onChange={(e) => set({ evidence: e.target.value })}
                placeholder={t('add.evidencePlaceholder')}
                aria-label={t('add.evidence')}
                data-testid="add-evidence"
              />
            </div>
          )}
        </div>
      </div>
    </Modal>
  );
}
