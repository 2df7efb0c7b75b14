import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AtSign } from 'lucide-react';
import { api } from '../../api/client';
import { useStore } from '../../store';
import type { UserIdInfo } from '../../../shared/contract/contacts';
import { useFormat } from './format';

function useUserIds(contactId?: number): UserIdInfo | null {
  const [info, setInfo] = useState<UserIdInfo | null>(null);
  const tick = useStore((s) => s.ticks.contacts); // bumped on contacts:changed by store/events.ts
  useEffect(() => {
    let alive = true;
    void api.call('contacts:user-ids', contactId === undefined ? {} : { contactId }).then((r) => {
      if (alive && r.ok) setInfo(r.value);
    });
    return () => {
      alive = false;
    };
  }, [contactId, tick]);
  return info;
}

/**
 * Contacts page: people WhatsApp knows only by their business-scoped user id (they have a
 * username and wrote or stopped without showing a phone). Their consent is kept and applied to
 * the contact as soon as a webhook links the id to a phone.
 */
export function UserIdOnlyPeople() {
  const { t } = useTranslation('contacts');
  const f = useFormat();
  const info = useUserIds();
  if (!info?.withoutPhone.length) return null;
  return (
    <section className="card" aria-labelledby="bsuid-title" data-testid="bsuid-only">
      <div className="card-title">
        <h2 id="bsuid-title">
          <AtSign size={18} aria-hidden className="inline-icon" />
          {t('bsuid.title')}
        </h2>
        <span className="badge">{info.withoutPhone.length}</span>
      </div>
      <p className="small muted">{t('bsuid.explain')}</p>
      <table className="table">
        <thead>
          <tr>
            <th>{t('bsuid.name')}</th>
            <th>{t('bsuid.username')}</th>
            <th>{t('bsuid.userId')}</th>
            <th>{t('bsuid.consent')}</th>
            <th>{t('bsuid.when')}</th>
          </tr>
        </thead>
        <tbody>
          {info.withoutPhone.map((p) => (
            <tr key={p.userId} data-testid="bsuid-row">
              <td>
                <bdi>{p.profileName ?? '—'}</bdi>
              </td>
              <td>
                <bdi className="ltr">{p.username ? `@${p.username}` : '—'}</bdi>
              </td>
              <td>
                <bdi className="ltr mono small">{p.userId}</bdi>
              </td>
              <td>
                <span className={`badge ${p.state === 'opted_out' ? 'red' : 'green'}`}>{t(`bsuid.state.${p.state}`)}</span>
              </td>
              <td>{f.time(p.at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Contact drawer: the contact's BSUID, parent id and username, when a webhook told them. */
export function ContactUserIds({ contactId }: { contactId: number }) {
  const { t } = useTranslation('contacts');
  const info = useUserIds(contactId);
  const c = info?.contact;
  if (!c?.userId && !c?.username) return null;
  return (
    <>
      {c.username && (
        <>
          <dt>{t('bsuid.username')}</dt>
          <dd>
            <bdi className="ltr" data-testid="drawer-username">
              @{c.username}
            </bdi>
          </dd>
        </>
      )}
      {c.userId && (
        <>
          <dt>{t('bsuid.userId')}</dt>
          <dd>
            <bdi className="ltr mono small" data-testid="drawer-user-id">
              {c.userId}
            </bdi>
          </dd>
        </>
      )}
      {c.parentUserId && (
        <>
          <dt>{t('bsuid.parentUserId')}</dt>
          <dd>
            <bdi className="ltr mono small">{c.parentUserId}</bdi>
          </dd>
        </>
      )}
    </>
  );
}
