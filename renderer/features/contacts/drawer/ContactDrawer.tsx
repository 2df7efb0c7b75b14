import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Ban, CircleCheck, Download, ShieldAlert, Trash2, X } from 'lucide-react';
import { CONSENT_CATEGORIES, type ConsentCategory, type ContactDetail } from '../../../../shared/contract/contacts';
import { api } from '../../../api/client';
import { useStore } from '../../../store';
import { ConsentBadge } from '../ConsentBadge';
import { CountryLabel } from '../CountryLabel';
import { downloadFile, useFormat } from '../format';
import { Modal } from '../Modal';
import { useEscape } from '../../../components/useEscape';
import { OptInDialog } from './OptInDialog';
import { ContactUserIds } from '../UserIdsCard';
import { Conversation } from './Conversation';
import { ConsentEvidenceView } from './ConsentEvidenceView';
import { errorText } from '../../../i18n/errorText';

/**
 * The contact side panel. It sits at the inline-end edge, so it opens from the right in English
 * and Chinese and from the left in Hebrew, mirroring the whole layout.
 */
export function ContactDrawer({ id }: { id: number }) {
  const { t } = useTranslation('contacts');
  const f = useFormat();
  const close = useStore((s) => s.openContact);
  const toast = useStore((s) => s.toast);
  const changed = useStore((s) => s.contactsChanged);
  const [detail, setDetail] = useState<ContactDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [optIn, setOptIn] = useState<ConsentCategory | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  // Escape closes the drawer wherever focus is (a dialog opened over it closes first).
  useEscape(() => close(null));

  const load = useCallback(async () => {
    const r = await api.call('contacts:get', { id });
    if (r.ok) {
      setDetail(r.value);
      setError(null);
    } else setError(errorText(r));
  }, [id]);
  useEffect(() => {
    setDetail(null);
    void load();
  }, [load]);

  const c = detail?.contact;
  const optOut = async (category: ConsentCategory) => {
    setBusy(true);
    const r = await api.call('contacts:opt-out', { contact: { id }, category });
    setBusy(false);
    if (!r.ok) return toast('error', errorText(r));
    toast('success', t('drawer.optedOut', { category: t(`consent.category.${category}`) }));
    await load();
    changed();
  };
  const erase = async () => {
    setBusy(true);
    const r = await api.call('contacts:delete', { id });
    setBusy(false);
    setConfirmDelete(false);
    if (!r.ok) return toast('error', errorText(r));
    const backups = r.value.backups_removed;
    toast('success', backups ? t('drawer.deletedBackups', { count: backups, n: f.n(backups) }) : t('drawer.deleted'));
    close(null);
    changed();
  };
  const confirmNumber = async () => {
    setBusy(true);
    const r = await api.call('contacts:confirm-number', { id });
    setBusy(false);
    if (!r.ok) return toast('error', errorText(r));
    toast('success', t('drawer.hold.confirmed'));
    await load();
    changed();
  };
  const exportJson = async () => {
    const r = await api.call('contacts:subject-export', { id });
    if (!r.ok) return toast('error', errorText(r));
    const safe = (c?.phone ?? String(id)).replace(/[^0-9A-Za-z]/g, '');
    downloadFile(`contact-${safe}.json`, JSON.stringify(r.value, null, 2), 'application/json');
  };

  return (
    <aside className="drawer" aria-label={t('drawer.label')} data-testid="contact-drawer">
      <header className="drawer-head">
        <div className="grow">
          <h2 data-testid="drawer-name">
            <bdi>{c ? c.name || (c.username ? `@${c.username}` : t('drawer.noName')) : t('drawer.loading')}</bdi>
          </h2>
          {c?.phone ? (
            <bdi className="ltr mono-num muted" data-testid="drawer-phone">
              {c.phone}
            </bdi>
          ) : c ? (
            <span className="muted small" data-testid="drawer-no-phone">
              {t('bsuid.noPhone')}
            </span>
          ) : null}
        </div>
        <button className="btn ghost icon" onClick={() => close(null)} aria-label={t('common:actions.close')} data-testid="drawer-close">
          <X size={18} />
        </button>
      </header>
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      {c && detail && (
        <div className="drawer-body">
          {detail.hold && (
            <div className="banner warn" role="alert" data-testid="drawer-hold">
              <ShieldAlert size={18} aria-hidden />
              <div className="grow">
                <strong>{t('drawer.hold.title')}</strong>
                <p className="small">{t(`drawer.hold.reason.${detail.hold.reason}`, { date: f.time(detail.hold.heldAt) })}</p>
                <p className="small muted">{t('drawer.hold.what')}</p>
              </div>
              <button className="btn" disabled={busy} onClick={() => void confirmNumber()} data-testid="drawer-confirm-number">
                <CircleCheck size={16} aria-hidden />
                {t('drawer.hold.confirm')}
              </button>
            </div>
          )}
          <section aria-labelledby="d-consent">
            <h3 id="d-consent">{t('drawer.consent')}</h3>
            <div className="consent-grid">
              {CONSENT_CATEGORIES.map((cat) => (
                <div className="consent-line" key={cat} data-testid={`drawer-consent-${cat}`}>
                  <ConsentBadge category={cat} state={c.consent[cat]} />
                  <span className="grow" />
                  {c.consent[cat] !== 'opted_out' && (
                    <button className="btn small-btn" disabled={busy} onClick={() => void optOut(cat)} data-testid={`opt-out-${cat}`}>
                      <Ban size={14} aria-hidden />
                      {t('drawer.optOut')}
                    </button>
                  )}
                  {c.consent[cat] !== 'opted_in' && (
                    <button className="btn small-btn" disabled={busy} onClick={() => setOptIn(cat)} data-testid={`opt-in-${cat}`}>
                      <CircleCheck size={14} aria-hidden />
                      {t('drawer.optIn')}
                    </button>
                  )}
                </div>
              ))}
            </div>
            <h4>{t('drawer.history')}</h4>
            {detail.consentHistory.length === 0 ? (
              <p className="muted small">{t('drawer.noHistory')}</p>
            ) : (
              <ol className="timeline" data-testid="consent-history">
                {[...detail.consentHistory]
                  .sort((a, b) => b.at - a.at || b.id - a.id)
                  .map((e) => (
                    <li key={e.id} data-testid="consent-event" data-state={e.state} data-category={e.category}>
                      <span className={`dot ${e.state === 'opted_in' ? 'green' : 'red'}`} aria-hidden />
                      <div>
                        <div>
                          <strong>
                            {t(`consent.category.${e.category}`)}: {t(`consent.state.${e.state}`)}
                          </strong>
                          <span className="muted small"> · {f.time(e.at)}</span>
                        </div>
                        <div className="small muted">
                          {t(`consent.source.${e.source}`)}
                          {/* The core's own label of the source (English); a row with evidence data says it in the evidence below. */}
                          {!e.evidenceData && e.sourceDetail && e.sourceDetail !== e.source && (
                            <>
                              {' '}
                              · <bdi translate="no">{e.sourceDetail}</bdi>
                            </>
                          )}
                          {' · '}
                          {t(`consent.actor.${e.actor}`, { defaultValue: '' }) || t('drawer.by', { actor: e.actor })}
                        </div>
                        <ConsentEvidenceView event={e} />
                      </div>
                    </li>
                  ))}
              </ol>
            )}
          </section>

          <section aria-labelledby="d-details">
            <h3 id="d-details">{t('drawer.details')}</h3>
            <dl className="kv">
              <dt>{t('fields.first_name')}</dt>
              <dd>
                <bdi>{c.first_name ?? '—'}</bdi>
              </dd>
              <dt>{t('fields.last_name')}</dt>
              <dd>
                <bdi>{c.last_name ?? '—'}</bdi>
              </dd>
              <dt>{t('fields.email')}</dt>
              <dd>
                <bdi>{c.email ?? '—'}</bdi>
              </dd>
              <dt>{t('fields.country')}</dt>
              <dd>
                <CountryLabel code={c.country} full />
              </dd>
              <ContactUserIds contactId={c.id} />
              <dt>{t('drawer.created')}</dt>
              <dd>{f.time(c.created_at)}</dd>
              <dt>{t('drawer.lastMessaged')}</dt>
              <dd>{c.last_messaged_at ? f.time(c.last_messaged_at) : t('drawer.never')}</dd>
            </dl>
          </section>

          <section aria-labelledby="d-tags">
            <h3 id="d-tags">{t('drawer.tags')}</h3>
            {c.tags.length ? (
              <div className="tag-list" data-testid="drawer-tags">
                {c.tags.map((tag) => (
                  <span key={tag} className="badge tag">
                    <bdi>{tag}</bdi>
                  </span>
                ))}
              </div>
            ) : (
              <p className="muted small">{t('drawer.noTags')}</p>
            )}
          </section>

          <section aria-labelledby="d-attrs">
            <h3 id="d-attrs">{t('drawer.attributes')}</h3>
            {Object.keys(c.attributes).length ? (
              <dl className="kv" data-testid="drawer-attributes">
                {Object.entries(c.attributes).map(([k, v]) => (
                  <div key={k} style={{ display: 'contents' }}>
                    <dt>
                      <bdi>{k}</bdi>
                    </dt>
                    <dd>{typeof v === 'boolean' ? t(v ? 'drawer.yes' : 'drawer.no') : typeof v === 'number' ? f.n(v) : v}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="muted small">{t('drawer.noAttributes')}</p>
            )}
          </section>

          <Conversation key={detail.messages.length} contactId={id} />

          <section className="drawer-actions">
            <button className="btn" onClick={() => void exportJson()} data-testid="drawer-export">
              <Download size={16} aria-hidden />
              {t('drawer.export')}
            </button>
            <button className="btn danger" onClick={() => setConfirmDelete(true)} data-testid="drawer-delete">
              <Trash2 size={16} aria-hidden />
              {t('drawer.delete')}
            </button>
          </section>
        </div>
      )}
      {optIn && c && (
        <OptInDialog
          category={optIn}
          wasOptedOut={c.consent[optIn] === 'opted_out'}
          contactId={id}
          onClose={() => setOptIn(null)}
          onDone={() => {
            setOptIn(null);
            void load();
            changed();
          }}
        />
      )}
      {confirmDelete && c && (
        <Modal
          title={t('drawer.deleteTitle')}
          onClose={() => setConfirmDelete(false)}
          testId="delete-confirm"
          footer={
            <>
              <button className="btn" onClick={() => setConfirmDelete(false)} data-autofocus>
                {t('common:actions.cancel')}
              </button>
              <button className="btn danger-solid" disabled={busy} onClick={() => void erase()} data-testid="delete-confirm-ok">
                {t('drawer.deleteOk')}
              </button>
            </>
          }
        >
          <p>
            {t('drawer.deleteBody')} <bdi className="ltr">{c.phone ?? c.user_id}</bdi>
          </p>
        </Modal>
      )}
    </aside>
  );
}
