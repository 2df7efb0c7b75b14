import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Loader2, Pencil, Store } from 'lucide-react';
import { useStore } from '../../store';
import { formatPhone } from './format';
import { ProfilePhoto } from './ProfilePhoto';
import { BUSINESS_VERTICALS, type BusinessProfile, type BusinessVertical, type PhoneNumberInfo } from '../../../shared/contract/whatsapp';

interface Draft {
  about: string;
  description: string;
  address: string;
  email: string;
  website1: string;
  website2: string;
  vertical: BusinessVertical;
}

const toDraft = (p: BusinessProfile): Draft => ({
  about: p.about ?? '',
  description: p.description ?? '',
  address: p.address ?? '',
  email: p.email ?? '',
  website1: p.websites[0] ?? '',
  website2: p.websites[1] ?? '',
  vertical: p.vertical ?? 'UNDEFINED',
});

/** The business profile people see in WhatsApp for one number: read live, edited through the API. */
export function BusinessProfileCard({ numbers }: { numbers: PhoneNumberInfo[] }) {
  const { t } = useTranslation('account');
  const [numberId, setNumberId] = useState(numbers.find((n) => n.primary)?.id ?? numbers[0]?.id ?? '');
  const profile = useStore((s) => s.profiles[numberId]);
  const load = useStore((s) => s.loadProfile);
  const update = useStore((s) => s.updateProfile);
  const toast = useStore((s) => s.toast);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);

  useEffect(() => {
    if (!numberId) return;
    setLoadError(null);
    setDraft(null);
    void load(numberId).then(setLoadError);
  }, [numberId, load]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    setSaving(true);
    setSaveError(null);
    const websites = [draft.website1, draft.website2].map((w) => w.trim()).filter(Boolean);
    const err = await update(numberId, {
      about: draft.about.trim() || undefined,
      description: draft.description.trim(),
      address: draft.address.trim(),
      email: draft.email.trim(),
      websites,
      vertical: draft.vertical,
    });
    setSaving(false);
    if (err) setSaveError(err);
    else {
      setDraft(null);
      toast('success', t('profile.saved'));
    }
  };

  const field = (k: keyof Draft, opts: { multiline?: boolean; max?: number; type?: string; ltr?: boolean } = {}) => {
    if (!draft) return null;
    const id = `profile-${k}`;
    const common = {
      id,
      'data-testid': id,
      className: 'input',
      value: draft[k],
      maxLength: opts.max,
      dir: opts.ltr ? 'ltr' : 'auto',
      onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value }),
    };
    return (
      <div className="field">
        <label htmlFor={id}>{t(`profile.fields.${k}`)}</label>
        {opts.multiline ? <textarea rows={3} {...common} /> : <input type={opts.type ?? 'text'} {...common} />}
        {opts.max && <span className="hint">{t('profile.maxChars', { max: opts.max })}</span>}
      </div>
    );
  };

  return (
    <section className="card" aria-labelledby="profile-title" data-testid="business-profile">
      <div className="card-title">
        <h2 id="profile-title">
          <Store size={18} aria-hidden className="inline-icon" />
          {t('profile.title')}
        </h2>
        <div className="actions">
          {numbers.length > 1 && (
            <select
              className="input"
              aria-label={t('profile.number')}
              value={numberId}
              onChange={(e) => setNumberId(e.target.value)}
              data-testid="profile-number"
            >
              {numbers.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.verifiedName} · {formatPhone(n.displayPhoneNumber)}
                </option>
              ))}
            </select>
          )}
          {profile && !draft && (
            <button className="btn" onClick={() => setDraft(toDraft(profile))} data-testid="profile-edit">
              <Pencil size={15} aria-hidden />
              {t('profile.edit')}
            </button>
          )}
        </div>
      </div>
      {loadError && (
        <div className="banner error small" role="alert">
          {t('profile.loadFailed', { message: loadError })}
        </div>
      )}
      {!profile && !loadError && (
        <div className="skeleton-lines" aria-busy="true" aria-label={t('loading')}>
          <span />
          <span />
          <span />
        </div>
      )}
      {profile && <ProfilePhoto key={numberId} numberId={numberId} profile={profile} />}
      {profile && !draft && (
        <dl className="kv" data-testid="profile-view">
          <dt>{t('profile.fields.about')}</dt>
          <dd dir="auto" className="ui-align" translate="no">
            {profile.about || <span className="muted">{t('profile.empty')}</span>}
          </dd>
          <dt>{t('profile.fields.description')}</dt>
          <dd dir="auto" className="pre-wrap ui-align" translate="no">
            {profile.description || <span className="muted">{t('profile.empty')}</span>}
          </dd>
          <dt>{t('profile.fields.address')}</dt>
          <dd dir="auto" className="ui-align" translate="no">
            {profile.address || <span className="muted">{t('profile.empty')}</span>}
          </dd>
          <dt>{t('profile.fields.email')}</dt>
          <dd>
            {profile.email ? (
              <span className="ltr" translate="no">
                {profile.email}
              </span>
            ) : (
              <span className="muted">{t('profile.empty')}</span>
            )}
          </dd>
          <dt>{t('profile.fields.websites')}</dt>
          <dd>
            {profile.websites.length ? (
              profile.websites.map((w) => (
                <div key={w} className="ltr" translate="no">
                  {w}
                </div>
              ))
            ) : (
              <span className="muted">{t('profile.empty')}</span>
            )}
          </dd>
          <dt>{t('profile.fields.vertical')}</dt>
          <dd>{t(`vertical.${profile.vertical ?? 'UNDEFINED'}`)}</dd>
        </dl>
      )}
      {draft && (
        <form onSubmit={(e) => void save(e)} className="grid profile-form" data-testid="profile-form">
          <div className="grid cols-2">
            {field('about', { max: 139 })}
            <div className="field">
              <label htmlFor="profile-vertical">{t('profile.fields.vertical')}</label>
              <select
                id="profile-vertical"
                className="input"
                value={draft.vertical}
                onChange={(e) => setDraft({ ...draft, vertical: e.target.value as BusinessVertical })}
                data-testid="profile-vertical"
              >
                {BUSINESS_VERTICALS.map((v) => (
                  <option key={v} value={v}>
                    {t(`vertical.${v}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {field('description', { multiline: true, max: 512 })}
          <div className="grid cols-2">
            {field('address', { max: 256 })}
            {field('email', { type: 'email', max: 128, ltr: true })}
            {field('website1', { type: 'url', max: 256, ltr: true })}
            {field('website2', { type: 'url', max: 256, ltr: true })}
          </div>
          {saveError && (
            <div className="banner error small" role="alert" data-testid="profile-error">
              {saveError}
            </div>
          )}
          <div className="form-actions">
            <button type="button" className="btn ghost" onClick={() => setDraft(null)}>
              {t('common:actions.cancel')}
            </button>
            <button type="submit" className="btn primary" disabled={saving} data-testid="profile-save">
              {saving && <Loader2 size={16} className="spin" aria-hidden />}
              {t('common:actions.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
