import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { CliError, EXIT_USAGE } from '../io';
import type { RateCardInfo, RateCardView } from '../../../../shared/contract/pricing';
import { PRICING_CATEGORIES, type PricingCategory } from '../../../../shared/pricing/categories';

export function cardLine(i: RateCardInfo): string {
  const what =
    i.origin === 'shipped'
      ? `Meta's rate card of ${i.effective_from} (shipped with Pacer)`
      : i.origin === 'imported'
        ? `imported from ${i.source}, effective ${i.effective_from ?? 'undated'}`
        : 'your own rates';
  return `${what}; ${i.rates} rate(s)${i.edited ? `, ${i.edited} edited by hand` : ''}`;
}

function human(v: RateCardView): string {
  return [
    `Rate card: ${cardLine(v.info)}`,
    ...(v.info.origin === 'shipped' && v.info.rates === 0
      ? [
          '  The shipped card has no figures:',
          "  import Meta's CSV for your currency (`pacer rates import FILE`) or set the rates you pay (`pacer rates set`).",
        ]
      : []),
    ...(v.info.origin === 'shipped' && v.info.rates > 0 && v.shipped.changed_since.length > 0
      ? [
          `  Meta changed rates since ${v.shipped.effective_from} in ${[...new Set(v.shipped.changed_since.map((c) => c.country))].join(', ')}:`,
          "  import Meta's current CSV (`pacer rates import FILE`) for today's exact figures.",
        ]
      : []),
    ...v.rates.map(
      (r) =>
        `  ${r.country.padEnd(3)} ${r.category.padEnd(29)} ${String(r.price).padStart(9)} ${r.currency}${r.edited ? '  (edited)' : ''}`,
    ),
  ].join('\n');
}

/** `pacer rates show|import|set|reset`: the rate card the cost estimates and actual costs use. */
export function registerRatesCommands(program: Command, cli: CliContext): void {
  const rates = program.command('rates').description("The rate card (Meta's price per delivered message by market and category)");
  rates
    .command('show')
    .description('The card in use and its rates')
    .option('--json', 'print JSON')
    .action(async (_o, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const v = await cli.call(core, 'rates:card', {});
        cli.print(cmd, v, () => human(v));
      });
    });
  rates
    .command('import <file>')
    .description("Replace the rates with Meta's rate card CSV (docs/whatsapp.md: the columns accepted)")
    .option('--currency <code>', 'currency when the file names none (e.g. USD)')
    .option('--effective <date>', 'effective date YYYY-MM-DD when the file names none')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { currency?: string; effective?: string }, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const csv = fs.readFileSync(path.resolve(file), 'utf8');
        const r = await cli.call(core, 'rates:import', {
          csv,
          name: path.basename(file),
          ...(o.currency ? { currency: o.currency.toUpperCase() } : {}),
          ...(o.effective ? { effective_from: o.effective } : {}),
        });
        cli.print(cmd, r, () =>
          [
            `Imported ${r.imported} rate(s) for ${r.markets} market(s).`,
            ...r.skipped.map(
              (s) =>
                `  line ${s.line}: ${s.code} ${Object.entries(s.params)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(' ')}`,
            ),
            `Rate card: ${cardLine(r.view.info)}`,
          ].join('\n'),
        );
      });
    });
  rates
    .command('set <category> <country> <price>')
    .description(
      `Set one rate (category: ${PRICING_CATEGORIES.join('|')}; country: ISO code or * for every other; price "none" removes it)`,
    )
    .requiredOption('--currency <code>', 'currency of the price')
    .option('--json', 'print JSON')
    .action(async (category: string, country: string, price: string, o: { currency: string }, cmd: Command) => {
      const cat = category.toUpperCase();
      if (!(PRICING_CATEGORIES as readonly string[]).includes(cat))
        throw new CliError(`unknown category ${category} (${PRICING_CATEGORIES.join(', ')})`, EXIT_USAGE);
      const p = price === 'none' ? null : Number(price);
      if (p !== null && !Number.isFinite(p)) throw new CliError(`not a price: ${price}`, EXIT_USAGE);
      await cli.withCore(cmd, async (core) => {
        const v = await cli.call(core, 'rates:set', {
          category: cat as PricingCategory,
          country: country.toUpperCase(),
          price: p,
          currency: o.currency.toUpperCase(),
        });
        cli.print(cmd, v, () => human(v));
      });
    });
  rates
    .command('reset')
    .description("Back to Meta's card shipped with Pacer")
    .option('--json', 'print JSON')
    .action(async (_o, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const v = await cli.call(core, 'rates:reset', {});
        cli.print(cmd, v, () => human(v));
      });
    });
}

/** `pacer campaign cost ID`: estimate at start vs actual cost, with the differences; and clicks. */
export function registerCampaignCostCommand(campaign: Command, cli: CliContext): void {
  campaign
    .command('cost <id>')
    .description("Estimate at start vs actual cost (Meta's pricing webhooks), the differences explained, and clicks")
    .option('--json', 'print JSON')
    .action(async (id: string, _o, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const cost = await cli.call(core, 'campaigns:cost', { id });
        const clicks = await cli.call(core, 'campaigns:clicks', { id });
        const cur = cost.currency ?? '';
        const amt = (n: number | null) => (n === null ? 'no rate' : `${n} ${cur}`);
        cli.print(cmd, { cost, clicks }, () =>
          [
            `Estimate at start: ${amt(cost.estimate.amount)} (${cost.estimate.messages} message(s)${cost.estimate.unpriced ? `, ${cost.estimate.unpriced} without a rate` : ''})`,
            `Actual cost:       ${amt(cost.actual.amount)} (${cost.actual.charged} message(s) charged)`,
            `Rate card:         ${cost.card ? cardLine(cost.card) : 'not recorded'}`,
            ...cost.actual.by_category.map(
              (g) => `  ${g.category.padEnd(29)} ${g.type.padEnd(22)} ${String(g.messages).padStart(7)}  ${amt(g.amount)}`,
            ),
            ...(cost.differences.length
              ? [
                  'Differences:',
                  ...cost.differences.map(
                    (d) => `  ${d.code.padEnd(22)} ${String(d.messages).padStart(7)}  ${d.amount > 0 ? '+' : ''}${d.amount} ${cur}`,
                  ),
                ]
              : []),
            `Clicks:            ${
              clicks.availability === 'available'
                ? `${clicks.clicked} of ${clicks.delivered} delivered (${clicks.click_rate === null ? '—' : `${Math.round(clicks.click_rate * 1000) / 10} %`})`
                : clicks.availability === 'no_data'
                  ? 'no click data from Meta for this account (needs the Marketing Messages API; limited availability)'
                  : 'not tracked (not a marketing template)'
            }`,
          ].join('\n'),
        );
      });
    });
}
