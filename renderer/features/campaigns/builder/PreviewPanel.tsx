import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UserRound } from 'lucide-react';
import type { CampaignDraft, CampaignPreview } from '../../../../shared/contract/campaigns';
import type { ContactRow } from '../../../../shared/contract/contacts';
import type { TemplateSummary } from '../../../../shared/contract/whatsapp';
import { parameterNames, renderTemplate, type RenderValues } from '../../../../shared/templates/render';
import { api } from '../../../api/client';
import { TemplatePreview } from '../../templates/TemplatePreview';
import { errorText } from '../../../i18n/errorText';

/** The core's resolved values (keyed like the mapping) as render values per component. */
function valuesOf(t: TemplateSummary, params: Record<string, string>): RenderValues {
  const header: Record<string, string> = {};
  const h = t.components.find((c) => c.type.toUpperCase() === 'HEADER');
  const hv = h?.text ? parameterNames(h.text)[0] : undefined;
  if (hv && params.header) header[hv] = params.header;
  const body: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (k !== 'header' && !k.startsWith('button.')) body[k] = v;
  return { header, body };
}

/** The message as a chosen contact will see it (bubble in the template's own direction). */
export function PreviewPanel({ template, draft }: { template: TemplateSummary | null; draft: CampaignDraft | null }) {
  const { t } = useTranslation('campaigns');
  const [contactId, setContactId] = useState<number | null>(null);
  const [search, setSearch] = useState('');
  const [matches, setMatches] = useState<ContactRow[]>([]);
  const [preview, setPreview] = useState<CampaignPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify([draft, contactId]);

  useEffect(() => {
    if (!draft) {
      setPreview(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      void api.call('campaigns:preview', { draft, ...(contactId !== null ? { contact_id: contactId } : {}) }).then((r) => {
        if (!live) return;
        if (r.ok) {
          setPreview(r.value);
          setError(null);
        } else {
          setPreview(null);
          setError(errorText(r));
        }
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);

  useEffect(() => {
    if (!search.trim()) {
      setMatches([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      void api.call('contacts:query', { search: search.trim(), limit: 6 }).then((r) => {
        if (live && r.ok) setMatches(r.value.rows);
      });
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [search]);

  const rendered = useMemo(
    () => (template ? renderTemplate(template, valuesOf(template, preview?.params ?? {})) : null),
    [template, preview],
  );
  return (
    <section className="card cmp-preview" aria-labelledby="preview-title" data-testid="builder-preview">
      <div className="card-title">
        <h2 id="preview-title">{t('preview.title')}</h2>
      </div>
      <div className="cmp-preview-who small">
        <UserRound size={15} aria-hidden />
        {preview?.contact ? (
          <span data-testid="preview-contact">
            {t('preview.as')} <bdi>{preview.contact.name || '—'}</bdi> <span className="ltr muted">{preview.contact.phone}</span>
          </span>
        ) : (
          <span className="muted">{t('preview.noContact')}</span>
        )}
      </div>
      <div className="cmp-contact-search">
        <input
          className="input"
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder={t('preview.search')}
          aria-label={t('preview.search')}
          data-testid="preview-search"
        />
        {matches.length > 0 && (
          <ul className="cmp-matches" role="listbox">
            {matches.map((m) => (
              <li key={m.id}>
                <button
                  type="button"
                  role="option"
                  aria-selected={contactId === m.id}
                  onClick={() => {
                    setContactId(m.id);
                    setSearch('');
                    setMatches([]);
                  }}
                >
                  <bdi>{m.name || '—'}</bdi> <span className="ltr muted">{m.phone}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      {rendered ? <TemplatePreview rendered={rendered} /> : <p className="muted small">{t('preview.chooseTemplate')}</p>}
      {preview && preview.missing.length > 0 && (
        <p className="small cmp-error" data-testid="preview-missing">
          {t('preview.missing', { params: preview.missing.join(', ') })}
        </p>
      )}
      {error && template && <p className="small muted">{t('preview.incomplete')}</p>}
    </section>
  );
}
