import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ArrowDown, ArrowUp } from 'lucide-react';
import type { CampaignOverviewRow } from '../../../shared/contract/campaign-reports';
import { api } from '../../api/client';
import { useStore } from '../../store';
import { CampaignStateBadge } from './badges';
import { useCampaignFormat } from './format';
import { useCampaignTime } from './campaignTimes';
import type { CampaignState } from '../../../shared/contract/campaigns';

/** A results row: the overview's figures plus rates on the same base (delivered) and clicks when recorded. */
type ResultRow = CampaignOverviewRow & { reply_rate: number | null; clicked?: number; click_rate?: number | null };

/**
 * The sortable columns. Each reads one number from a row; `clicked` shows only when the overview
 * carries clicks (recorded by the pricing/clicks work) — one entry here, like every other column.
 */
const COLUMNS = [
  { key: 'total', value: (r: ResultRow) => r.total },
  { key: 'delivery_rate', value: (r: ResultRow) => r.delivery_rate },
  { key: 'read_rate', value: (r: ResultRow) => r.read_rate },
  { key: 'reply_rate', value: (r: ResultRow) => r.reply_rate },
  { key: 'click_rate', value: (r: ResultRow) => r.click_rate ?? null, onlyWithClicks: true },
  { key: 'cost', value: (r: ResultRow) => r.cost.amount },
] as const;
type SortKey = 'name' | 'started_at' | (typeof COLUMNS)[number]['key'];

/**
 * When a results row started, in its campaign's schedule zone (as the list and its page show it); a
 * campaign scheduled but not started yet has no start here ("—"; the list says when it starts), as
 * its standing says everywhere (the overview's started_at is when Start was pressed).
 */
function StartedCell({ id, at }: { id: string; at: number | null }) {
  const campaign = useStore((s) => s.campaigns?.find((c) => c.id === id));
  const when = useCampaignTime(campaign?.schedule);
  const started = at !== null && (!campaign || campaign.standing.started);
  return (
    <td className="small" data-testid="results-started" data-at={started ? at : ''}>
      {started ? when(at) : '—'}
    </td>
  );
}

/**
 * Campaign list with results: delivered / read / replied (/ clicked) rates and cost per campaign,
 * sorted by any column (nulls last either way). Rates: delivered of reached, read and replied of
 * delivered — the dashboard's definitions (campaigns:overview).
 */
export function CampaignResults() {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const open = useStore((s) => s.openCampaigns);
  const [rows, setRows] = useState<ResultRow[] | null>(null);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'started_at', desc: true });
  useEffect(() => {
    let live = true;
    void api.call('campaigns:overview', { days: 366, tz: Intl.DateTimeFormat().resolvedOptions().timeZone }).then((r) => {
      if (!live || !r.ok) return;
      setRows(
        r.value.campaigns.map((c) => {
          const x = c as CampaignOverviewRow & { clicked?: number };
          return {
            ...c,
            reply_rate: c.delivered ? c.replied / c.delivered : null,
            ...(typeof x.clicked === 'number' ? { clicked: x.clicked, click_rate: c.delivered ? x.clicked / c.delivered : null } : {}),
          };
        }),
      );
    });
    return () => {
      live = false;
    };
  }, []);
  const withClicks = rows?.some((r) => typeof r.clicked === 'number') ?? false;
  const columns = COLUMNS.filter((c) => !('onlyWithClicks' in c) || withClicks);
  const sorted = useMemo(() => {
    if (!rows) return [];
    const val = (r: ResultRow): string | number | null =>
      sort.key === 'name' ? r.name : sort.key === 'started_at' ? r.started_at : COLUMNS.find((c) => c.key === sort.key)!.value(r);
    return [...rows].sort((a, b) => {
      const x = val(a);
      const y = val(b);
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      const d = typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number);
      return sort.desc ? -d : d;
    });
  }, [rows, sort]);
  const header = (key: SortKey, label: string, num = true) => (
    <th className={num ? 'num' : undefined} aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button
        className="row-link cmp-sort"
        data-testid={`results-sort-${key}`}
        onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'name' }))}
      >
        {label}
        {sort.key === key && (sort.desc ? <ArrowDown size={12} aria-hidden /> : <ArrowUp size={12} aria-hidden />)}
      </button>
    </th>
  );
  if (!rows) return null;
  return (
    <div className="table-scroll">
      <table className="table cmp-table" data-testid="campaign-results">
        <thead>
          <tr>
            {header('name', t('list.cols.name'), false)}
            <th>{t('list.cols.state')}</th>
            {header('started_at', t('results.started'), false)}
            {columns.map((c) => header(c.key, t(`results.cols.${c.key}`)))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr
              key={r.id}
              data-testid="results-row"
              data-id={r.id}
              onClick={() => open(r.state === 'draft' ? { kind: 'builder', id: r.id } : { kind: 'detail', id: r.id })}
            >
              <td dir="auto">{r.name}</td>
              <td>
                <CampaignStateBadge state={r.state as CampaignState} />
              </td>
              <StartedCell id={r.id} at={r.started_at} />
              <td className="num">{f.number(r.total)}</td>
              <td className="num" data-testid="results-delivery">
                {f.percent(r.delivery_rate)}
              </td>
              <td className="num" data-testid="results-read">
                {f.percent(r.read_rate)}
              </td>
              <td className="num" data-testid="results-reply">
                {f.percent(r.reply_rate)}
                <div className="small muted">{f.number(r.replied)}</div>
              </td>
              {withClicks && <td className="num">{f.percent(r.click_rate)}</td>}
              <td className="num" data-testid="results-cost">
                {r.cost.amount !== null && r.cost.currency ? (
                  f.money(r.cost.amount, r.cost.currency)
                ) : (
                  <span className="muted" title={t('results.noRate')}>
                    —
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
