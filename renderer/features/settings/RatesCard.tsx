import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Trash2, Upload } from 'lucide-react';
import type { RateCardView, RateImportResult } from '../../../shared/contract/pricing';
import { PRICING_CATEGORIES, type PricingCategory } from '../../../shared/pricing/categories';
import { countryOptions } from '../../../shared/countries';
import { api } from '../../api/client';
import { useStore } from '../../store';
import { CardName } from '../campaigns/pricing/CardName';
import { useCampaignFormat } from '../campaigns/format';
import '../campaigns/pricing/pricing.css';

/** The reason code a refused call carries (never its English message). */
const reasonOf = (details: unknown): string =>
  details && typeof details === 'object' && 'reason' in details && typeof (details as { reason: unknown }).reason === 'string'
    ? (details as { reason: string }).reason
    : 'other';

/**
 * Settings → Rates: which rate card the cost estimates use (Meta's card shipped with Pacer, one
 * imported from Meta's CSV, or the user's own), every rate, an import of Meta's CSV, one-rate edits
 * and a reset to the shipped card. Country names and categories are translated; codes never show.
 */
export function RatesCard() {
  const { t } = useTranslation('settings');
  const tc = useTranslation('campaigns').t;
  const language = useStore((s) => s.language);
  const toast = useStore((s) => s.toast);
  const f = useCampaignFormat();
  const [view, setView] = useState<RateCardView | null>(null);
  const [imported, setImported] = useState<RateImportResult | null>(null);
  const [confirmReset, setConfirmReset] = useState(false);
  const [form, setForm] = useState<{ country: string; category: PricingCategory; price: string; currency: string }>({
    country: 'IL',
    category: 'MARKETING',
    price: '',
    currency: 'USD',
  });
  const countries = useMemo(() => countryOptions(language), [language]);
  const region = useMemo(() => new Intl.DisplayNames([language], { type: 'region' }), [language]);
  const countryName = (c: string) => (c === '*' ? t('rates.other') : (region.of(c) ?? c));

  useEffect(() => {
    void api.call('rates:card', {}).then((r) => {
      if (r.ok) setView(r.value);
    });
  }, []);
  useEffect(() => {
    if (view?.info.currency) setForm((x) => ({ ...x, currency: view.info.currency! }));
  }, [view?.info.currency]);

  const fail = (details: unknown) => toast('error', t(`rates.error.${reasonOf(details)}`, { defaultValue: t('rates.error.other') }));
  const importFile = async (file: File) => {
    const csv = await file.text();
    const r = await api.call('rates:import', { csv, name: file.name, currency: form.currency });
    if (!r.ok) return fail(r.details);
    setView(r.value.view);
    setImported(r.value);
  };
  const save = async (price: number | null, row?: { country: string; category: string; currency: string }) => {
    const target = row ?? form;
    const r = await api.call('rates:set', {
      country: target.country,
      category: target.category as PricingCategory,
      price,
      currency: target.currency,
    });
    if (!r.ok) return fail(r.details);
    setView(r.value);
    if (!row) setForm((x) => ({ ...x, price: '' }));
  };
  const reset = async () => {
    const r = await api.call('rates:reset', {});
    setConfirmReset(false);
    if (!r.ok) return fail(r.details);
    setView(r.value);
    setImported(null);
  };
  const price = Number(form.price.replace(',', '.'));
  const priceOk = form.price.trim() !== '' && Number.isFinite(price) && price >= 0 && price <= 100 && /^[A-Z]{3}$/.test(form.currency);

  return (
    <section className="card" aria-labelledby="rates-title" data-testid="rates-card">
      <h2 id="rates-title">{t('rates.title')}</h2>
      <p className="small">{t('rates.intro')}</p>
      {view && (
        <>
          <p data-testid="rates-current">
            <strong>{t('rates.current')}</strong> <CardName card={view.info} testid="rates-card-name" />
          </p>
          {view.info.origin === 'shipped' && view.info.rates === 0 && (
            <div className="banner info small" data-testid="rates-shipped-empty">
              {t('rates.shippedEmpty', { date: view.shipped.effective_from })}
            </div>
          )}
          {view.info.origin === 'shipped' && view.info.rates > 0 && view.shipped.changed_since.length > 0 && (
            <div className="banner info small" data-testid="rates-shipped-older">
              {t('rates.shippedOlder', {
                date: view.shipped.effective_from,
                markets: [...new Set(view.shipped.changed_since.map((c) => c.country))]
                  .map((c) => countryName(c))
                  .join(t('rates.listSeparator')),
              })}
            </div>
          )}
          <p className="small muted">
            {t('rates.rules', {
              date: view.shipped.rules_from,
              markets: view.shipped.standalone_markets.map((m) => countryName(m.country)).join(t('rates.listSeparator')),
            })}
          </p>

          <h3 className="cmp-sub">{t('rates.importTitle')}</h3>
          <div className="actions">
            <label className="btn" data-testid="rates-import-label">
              <Upload size={15} aria-hidden />
              {t('rates.import')}
              <input
                type="file"
                accept=".csv,text/csv"
                className="visually-hidden"
                data-testid="rates-import"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  if (file) void importFile(file);
                }}
              />
            </label>
            <span className="small muted">{t('rates.importHint')}</span>
          </div>
          {imported && (
            <div className="small" data-testid="rates-import-result">
              <p>
                {t('rates.imported', { count: imported.imported, n: f.number(imported.imported), markets: f.number(imported.markets) })}
              </p>
              {imported.skipped.length > 0 && (
                <ul className="muted" data-testid="rates-import-skipped">
                  {imported.skipped.map((s) => (
                    <li key={`${s.line}-${s.code}-${s.params.category ?? ''}`} data-code={s.code}>
                      {t(`rates.skip.${s.code}`, { line: s.line, ...s.params })}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}

          <h3 className="cmp-sub">{t('rates.editTitle')}</h3>
          <form
            className="rates-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (priceOk) void save(price);
            }}
          >
            <div className="field">
              <label htmlFor="rate-country">{t('rates.country')}</label>
              <select
                id="rate-country"
                className="input"
                data-testid="rate-country"
                value={form.country}
                onChange={(e) => setForm({ ...form, country: e.target.value })}
              >
                <option value="*">{t('rates.other')}</option>
                {countries.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="rate-category">{t('rates.category')}</label>
              <select
                id="rate-category"
                className="input"
                data-testid="rate-category"
                value={form.category}
                onChange={(e) => setForm({ ...form, category: e.target.value as PricingCategory })}
              >
                {PRICING_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {tc(`pricing.category.${c}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="rate-price">{t('rates.price')}</label>
              <input
                id="rate-price"
                className="input ltr"
                inputMode="decimal"
                data-testid="rate-price"
                value={form.price}
                onChange={(e) => setForm({ ...form, price: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="rate-currency">{t('rates.currency')}</label>
              <input
                id="rate-currency"
                className="input ltr"
                maxLength={3}
                data-testid="rate-currency"
                value={form.currency}
                onChange={(e) => setForm({ ...form, currency: e.target.value.toUpperCase() })}
              />
            </div>
            <div className="actions">
              <button className="btn primary" type="submit" disabled={!priceOk} data-testid="rate-save">
                {t('rates.save')}
              </button>
            </div>
          </form>

          <div className="rates-table-wrap">
            {view.rates.length === 0 ? (
              <p className="small muted" data-testid="rates-none">
                {t('rates.none')}
              </p>
            ) : (
              <table className="table small" data-testid="rates-table">
                <thead>
                  <tr>
                    <th>{t('rates.country')}</th>
                    <th>{t('rates.category')}</th>
                    <th className="num">{t('rates.price')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {view.rates.map((r) => (
                    <tr
                      key={`${r.country}|${r.category}`}
                      data-testid="rate-row"
                      data-country={r.country}
                      data-category={r.category}
                      data-edited={r.edited}
                    >
                      <td>{countryName(r.country)}</td>
                      <td>{tc(`pricing.category.${r.category}`, { defaultValue: tc('pricing.metaCategory.unknown') })}</td>
                      <td className="num">
                        {f.rate(r.price, r.currency)}
                        {r.edited && (
                          <>
                            {' '}
                            <span className="badge amber">{t('rates.editedBadge')}</span>
                          </>
                        )}
                      </td>
                      <td>
                        <button
                          className="btn ghost icon-btn"
                          type="button"
                          aria-label={t('rates.remove')}
                          onClick={() => void save(null, r)}
                        >
                          <Trash2 size={14} aria-hidden />
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          <div className="actions">
            {confirmReset ? (
              <>
                <span className="small">{t('rates.resetConfirm', { date: view.shipped.effective_from })}</span>
                <button className="btn danger" type="button" onClick={() => void reset()} data-testid="rates-reset-yes">
                  {t('rates.resetYes')}
                </button>
                <button className="btn" type="button" onClick={() => setConfirmReset(false)}>
                  {t('rates.cancel')}
                </button>
              </>
            ) : (
              <button className="btn" type="button" onClick={() => setConfirmReset(true)} data-testid="rates-reset">
                {t('rates.reset')}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
