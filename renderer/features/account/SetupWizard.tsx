import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ArrowLeft, ArrowRight, Check, ExternalLink, FlaskConical, KeyRound, Loader2, ShieldCheck, X } from 'lucide-react';
import { useStore } from '../../store';
import {
  connectInputSchema,
  DEFAULT_API_VERSION,
  DEFAULT_GRAPH_URL,
  type ConnectField,
  type ConnectInput,
} from '../../../shared/contract/whatsapp';
import type { SecretStatus } from '../../../shared/contract/app';

type Path = 'choose' | 'meta';
type Values = Record<ConnectField, string>;
type Errors = Partial<Record<ConnectField, string>>;

// Where each value lives. Only Meta's own business/developer sites (the Electron shell allows no other).
const HELP_LINKS: Partial<Record<ConnectField, string>> = {
  accessToken: 'https://business.facebook.com/settings/system-users',
  wabaId: 'https://business.facebook.com/wa/manage/home/',
  phoneNumberId: 'https://developers.facebook.com/apps/',
  appSecret: 'https://developers.facebook.com/apps/',
  verifyToken: 'https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks',
};

const FIELDS: { name: ConnectField; secret?: boolean; numeric?: boolean; advanced?: boolean; optional?: boolean }[] = [
  { name: 'accessToken', secret: true },
  { name: 'wabaId', numeric: true },
  { name: 'phoneNumberId', numeric: true },
  { name: 'appSecret', secret: true, optional: true },
  { name: 'verifyToken', optional: true },
  { name: 'graphUrl', advanced: true },
  { name: 'apiVersion', advanced: true },
];

/**
 * Setup wizard: one click to the local Sandbox, or a Meta account validated live by the core.
 * Secrets are write-only here: once saved, the form shows only "saved · ends in 1234".
 */
export function SetupWizard({ onCancel }: { onCancel?: () => void }) {
  const { t } = useTranslation('account');
  const account = useStore((s) => s.account);
  const busy = useStore((s) => s.accountBusy);
  const useSandbox = useStore((s) => s.useSandbox);
  const wizardStart = useStore((s) => s.wizardStart);
  const [path, setPath] = useState<Path>(wizardStart);

  return (
    <section className="card acct-wizard" data-testid="setup-wizard" aria-labelledby="wizard-title">
      <div className="card-title">
        <div>
          <h2 id="wizard-title">{t('wizard.title')}</h2>
          <p className="muted">{t('wizard.subtitle')}</p>
        </div>
        {onCancel && (
          <button className="btn ghost" onClick={onCancel} aria-label={t('common:actions.close')} data-testid="wizard-close">
            <X size={16} />
          </button>
        )}
      </div>
      <ol className="acct-steps" aria-label={t('wizard.stepsLabel')}>
        <li aria-current={path === 'choose' ? 'step' : undefined} className={path !== 'choose' ? 'done' : undefined}>
          <span className="num">{path !== 'choose' ? <Check size={13} /> : 1}</span>
          {t('wizard.stepChoose')}
        </li>
        <li aria-current={path === 'meta' ? 'step' : undefined}>
          <span className="num">2</span>
          {t('wizard.stepDetails')}
        </li>
      </ol>

      {path === 'choose' && (
        <div className="choices">
          <div className="choice" data-testid="choice-sandbox">
            <span className="choice-icon sandbox" aria-hidden>
              <FlaskConical size={22} />
            </span>
            <h3>{t('wizard.sandbox.title')}</h3>
            <p className="muted">{t('wizard.sandbox.body')}</p>
            <ul className="ticks small">
              {(['numbers', 'templates', 'limits', 'safe'] as const).map((k) => (
                <li key={k}>
                  <Check size={14} aria-hidden />
                  {t(`wizard.sandbox.points.${k}`)}
                </li>
              ))}
            </ul>
            <button className="btn primary" data-testid="use-sandbox" disabled={busy !== null} onClick={() => void useSandbox()}>
              {busy === 'sandbox' ? <Loader2 size={16} className="spin" aria-hidden /> : <FlaskConical size={16} aria-hidden />}
              {busy === 'sandbox' ? t('wizard.sandbox.starting') : t('wizard.sandbox.action')}
            </button>
          </div>
          <div className="choice" data-testid="choice-meta">
            <span className="choice-icon meta" aria-hidden>
              <ShieldCheck size={22} />
            </span>
            <h3>{t('wizard.meta.title')}</h3>
            <p className="muted">{t('wizard.meta.body')}</p>
            <ul className="ticks small">
              {(['token', 'ids', 'secret', 'check'] as const).map((k) => (
                <li key={k}>
                  <Check size={14} aria-hidden />
                  {t(`wizard.meta.points.${k}`)}
                </li>
              ))}
            </ul>
            <button className="btn" data-testid="connect-meta" disabled={busy !== null} onClick={() => setPath('meta')}>
              <KeyRound size={16} aria-hidden />
              {t('wizard.meta.action')}
              <ArrowRight size={16} aria-hidden className="flip-rtl" />
            </button>
          </div>
        </div>
      )}

      {path === 'meta' && (
        <MetaForm
          initial={account?.connection && account.connection.mode === 'live' ? account.connection : null}
          secrets={account?.secrets ?? null}
          onBack={() => setPath('choose')}
        />
      )}
    </section>
  );
}

function MetaForm({
  initial,
  secrets,
  onBack,
}: {
  initial: { wabaId: string; phoneNumberId: string; graphUrl: string; apiVersion: string } | null;
  secrets: { accessToken: SecretStatus; appSecret: SecretStatus } | null;
  onBack: () => void;
}) {
  const { t } = useTranslation('account');
  const busy = useStore((s) => s.accountBusy);
  const connect = useStore((s) => s.connectAccount);
  const [values, setValues] = useState<Values>({
    accessToken: '',
    wabaId: initial?.wabaId ?? '',
    phoneNumberId: initial?.phoneNumberId ?? '',
    appSecret: '',
    verifyToken: '',
    graphUrl: initial?.graphUrl ?? DEFAULT_GRAPH_URL,
    apiVersion: initial?.apiVersion ?? DEFAULT_API_VERSION,
  });
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [showAdvanced, setShowAdvanced] = useState(false);
  const stored: Partial<Record<ConnectField, SecretStatus>> = { accessToken: secrets?.accessToken, appSecret: secrets?.appSecret };

  const set = (name: ConnectField, v: string) => {
    setValues((old) => ({ ...old, [name]: v }));
    if (errors[name]) setErrors((old) => ({ ...old, [name]: undefined }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setGeneral(null);
    // Empty secret fields keep what is stored; empty optional fields are left out.
    const input: Record<string, string> = {};
    for (const f of FIELDS) {
      const v = values[f.name].trim();
      if (v) input[f.name] = v;
    }
    const missing: Errors = {};
    if (!input.accessToken && !stored.accessToken?.set) missing.accessToken = t('wizard.errors.required');
    if (!input.wabaId) missing.wabaId = t('wizard.errors.required');
    if (!input.phoneNumberId) missing.phoneNumberId = t('wizard.errors.required');
    const parsed = connectInputSchema.safeParse(input);
    const local: Errors = { ...missing };
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as ConnectField;
        local[field] ??= t(`wizard.errors.format.${field}`);
      }
    }
    if (Object.keys(local).length) {
      setErrors(local);
      if (local.graphUrl || local.apiVersion) setShowAdvanced(true);
      return;
    }
    const failure = await connect(input as ConnectInput);
    if (!failure) return;
    if (failure.details?.field) {
      const { field, reason, graphCode } = failure.details;
      setErrors({ [field]: t(`wizard.errors.reason.${reason}`, { code: graphCode ?? '' }) });
      if (field === 'graphUrl' || field === 'apiVersion') setShowAdvanced(true);
    } else setGeneral(failure.message);
  };

  const renderField = (f: (typeof FIELDS)[number]): ReactNode => {
    const id = `connect-${f.name}`;
    const err = errors[f.name];
    const saved = f.secret ? stored[f.name] : undefined;
    const link = HELP_LINKS[f.name];
    return (
      <div className={`field${err ? ' invalid' : ''}`} key={f.name}>
        <label htmlFor={id}>
          {t(`wizard.fields.${f.name}.label`)}
          {f.optional && <span className="muted small"> · {t('wizard.optional')}</span>}
        </label>
        <div className="input-row">
          <input
            id={id}
            className="input grow"
            data-testid={id}
            type={f.secret ? 'password' : 'text'}
            inputMode={f.numeric ? 'numeric' : undefined}
            dir={f.name === 'accessToken' || f.name === 'appSecret' || f.numeric || f.advanced ? 'ltr' : undefined}
            autoComplete="off"
            spellCheck={false}
            value={values[f.name]}
            placeholder={saved?.set ? t('wizard.keepSaved') : t(`wizard.fields.${f.name}.placeholder`)}
            aria-invalid={err ? true : undefined}
            aria-describedby={`${id}-hint${err ? ` ${id}-error` : ''}`}
            onChange={(e) => set(f.name, e.target.value)}
          />
          {saved?.set && (
            <span className="badge green" data-testid={`${id}-saved`}>
              <Check size={12} aria-hidden />
              {t('wizard.savedEndsIn')} <span className="ltr mono">{saved.last4}</span>
            </span>
          )}
        </div>
        {err && (
          <span className="field-error" id={`${id}-error`} role="alert" data-testid={`${id}-error`}>
            {err}
          </span>
        )}
        <span className="hint" id={`${id}-hint`}>
          {t(`wizard.fields.${f.name}.help`)}
          {link && (
            <>
              {' '}
              <a href={link} target="_blank" rel="noreferrer noopener" className="link">
                {t(`wizard.fields.${f.name}.link`)}
                <ExternalLink size={12} aria-hidden />
              </a>
            </>
          )}
        </span>
      </div>
    );
  };

  return (
    <form className="meta-form" onSubmit={(e) => void submit(e)} noValidate data-testid="meta-form">
      <div className="banner info small">
        <ShieldCheck size={18} aria-hidden />
        <span>{t('wizard.meta.secretsNote')}</span>
      </div>
      {general && (
        <div className="banner error" role="alert" data-testid="connect-error">
          <X size={18} aria-hidden />
          <span>{general}</span>
        </div>
      )}
      <div className="grid cols-2">{FIELDS.filter((f) => !f.advanced).map(renderField)}</div>
      <details open={showAdvanced} onToggle={(e) => setShowAdvanced((e.target as HTMLDetailsElement).open)}>
        <summary>{t('wizard.advanced')}</summary>
        <div className="grid cols-2 advanced">{FIELDS.filter((f) => f.advanced).map(renderField)}</div>
      </details>
      <div className="form-actions">
        <button type="button" className="btn ghost" onClick={onBack} data-testid="wizard-back">
          <ArrowLeft size={16} aria-hidden className="flip-rtl" />
          {t('common:actions.back')}
        </button>
        <button type="submit" className="btn primary" disabled={busy !== null} data-testid="connect-submit">
          {busy === 'connect' ? <Loader2 size={16} className="spin" aria-hidden /> : <ShieldCheck size={16} aria-hidden />}
          {busy === 'connect' ? t('wizard.checking') : t('wizard.connect')}
        </button>
      </div>
    </form>
  );
}
