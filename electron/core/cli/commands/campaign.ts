import fs from 'node:fs';
import { cardLine, registerCampaignCostCommand } from './rates';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { CliError, EXIT_USAGE } from '../io';
import type { CampaignDraft, CampaignPlan, CampaignStatus, CampaignSummary, TestSendOutcome } from '../../../../shared/contract/campaigns';
import { writeReport } from '../../campaigns/handlers';
import { startRuntime } from '../../runtime';
import type { Core } from '../../index';
import { formatDuration, parseDuration } from '../../../../shared/duration';
import { CAMPAIGN_TTL_MAX_S, CAMPAIGN_TTL_MIN_S } from '../../../../shared/message-ttl';

const MEDIA_EXT = new Set(['.jpg', '.jpeg', '.png', '.mp4', '.3gp', '.pdf']);

const collect = (v: string, prev: string[] = []) => [...prev, v];

function parseParams(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of list) {
    const i = p.indexOf('=');
    if (i <= 0 || i === p.length - 1) throw new CliError(`--param takes KEY=SOURCE, got ${JSON.stringify(p)}`, EXIT_USAGE);
    out[p.slice(0, i).trim()] = p.slice(i + 1).trim();
  }
  return out;
}

function intOption(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`${name} must be an integer ${min}–${max}, got ${v}`, EXIT_USAGE);
  return n;
}

/**
 * A header media URL, or a local file uploaded to the sending number (→ media id, kept with the
 * file's name, type, hash and upload time; the core keeps a copy to upload again when the id nears
 * Meta's 30 days — campaigns/media.ts).
 */
async function headerMedia(
  cli: CliContext,
  core: Core,
  value: string | undefined,
  phoneNumberId: string | undefined,
): Promise<CampaignDraft['header_media']> {
  if (!value) return null;
  if (/^https?:\/\//i.test(value)) return { link: value };
  const file = path.resolve(value);
  if (!fs.existsSync(file)) throw new CliError(`--header-media: no such file or URL: ${value}`, EXIT_USAGE);
  if (!MEDIA_EXT.has(path.extname(file).toLowerCase()))
    throw new CliError(
      `--header-media: use a .jpg, .png, .mp4, .3gp or .pdf file (got ${path.extname(file) || 'no extension'})`,
      EXIT_USAGE,
    );
  const staged = core.ctx.files.stagePath(file);
  try {
    return await cli.call(core, 'campaigns:upload-media', {
      fileId: staged.fileId,
      ...(phoneNumberId ? { phone_number_id: phoneNumberId } : {}),
    });
  } finally {
    core.ctx.files.discard(staged.fileId);
  }
}

const humanCounts = (c: CampaignStatus['counts']) =>
  Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || 'no recipients yet';

function humanSummary(s: CampaignSummary): string {
  const series = s.series
    ? `series: ${s.series.runs} run(s)${s.series.next_run_at ? `, next ${new Date(s.series.next_run_at).toISOString()}` : ''}`
    : s.series_id
      ? `${humanCounts(s.counts)}  (occurrence of ${s.series_id} due ${s.occurrence_at ? new Date(s.occurrence_at).toISOString() : '?'})`
      : humanCounts(s.counts);
  return `${s.id}  ${s.name}  [${s.state}${s.pause_reason ? `: ${s.pause_reason}` : ''}]  ${s.template.name}/${s.template.language}  ${series}`;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** --repeat daily|weekly with --at HH:MM, --days, --until, --occurrences (all optional flags; nothing else changes). */
function repeatOption(
  o: Record<string, string | string[] | undefined>,
): NonNullable<NonNullable<CampaignDraft['schedule']>['repeat']> | null {
  const extra = (['days', 'until', 'occurrences'] as const).filter((k) => o[k] !== undefined);
  if (o.repeat === undefined) {
    if (extra.length) throw new CliError(`--${extra[0]} needs --repeat daily|weekly`, EXIT_USAGE);
    return null;
  }
  const frequency = String(o.repeat);
  if (frequency !== 'daily' && frequency !== 'weekly') throw new CliError(`--repeat takes daily or weekly, got ${frequency}`, EXIT_USAGE);
  const time = o.at === undefined ? null : String(o.at);
  if (!time || !/^([01]?\d|2[0-3]):[0-5]\d$/.test(time))
    throw new CliError('--repeat needs --at HH:MM (24 h), the time of each occurrence', EXIT_USAGE);
  let days: (typeof DAYS)[number][] | null = null;
  if (frequency === 'weekly') {
    if (o.days === undefined) throw new CliError('--repeat weekly needs --days, e.g. --days mon,thu', EXIT_USAGE);
    days = [];
    for (const d of String(o.days)
      .toLowerCase()
      .split(',')
      .map((x) => x.trim().slice(0, 3))
      .filter(Boolean)) {
      if (!(DAYS as readonly string[]).includes(d))
        throw new CliError(`--days: unknown weekday ${JSON.stringify(d)} (use sun mon tue wed thu fri sat)`, EXIT_USAGE);
      if (!days.includes(d as (typeof DAYS)[number])) days.push(d as (typeof DAYS)[number]);
    }
    if (!days.length) throw new CliError('--days needs at least one weekday', EXIT_USAGE);
  } else if (o.days !== undefined) throw new CliError('--days goes with --repeat weekly', EXIT_USAGE);
  if (o.until !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(o.until)))
    throw new CliError(`--until takes a date YYYY-MM-DD, got ${String(o.until)}`, EXIT_USAGE);
  return {
    frequency,
    time,
    ...(days ? { days } : {}),
    ...(o.until !== undefined ? { until: String(o.until) } : {}),
    ...(o.occurrences !== undefined ? { count: intOption('--occurrences', String(o.occurrences), 1, 10_000)! } : {}),
  };
}

function describeRepeat(s: CampaignSummary): string {
  const r = s.schedule.repeat!;
  return `${r.frequency}${r.days?.length ? ` on ${r.days.join(',')}` : ''} at ${r.time} ${s.schedule.tz ?? 'UTC'}${r.until ? `, until ${r.until}` : ''}${r.count ? `, ${r.count} time(s)` : ''}`;
}

/** --ttl DURATION → seconds, within the option's range (shared/message-ttl.ts). */
function ttlOption(text: string): number {
  const s = parseDuration(text);
  if (s === null) throw new CliError(`--ttl takes a duration such as 2h, 90m, 1d or 1h30m, got "${text}"`, EXIT_USAGE);
  if (s < CAMPAIGN_TTL_MIN_S || s > CAMPAIGN_TTL_MAX_S) throw new CliError(`--ttl must be 5m to 30d, got ${text}`, EXIT_USAGE);
  return s;
}

function humanPlan(p: CampaignPlan): string {
  const ex =
    Object.entries(p.excluded)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  const lines = [
    `Audience ${p.audience}, eligible ${p.eligible}; excluded: ${ex}`,
    `Budget: ${p.budget.messaging_limit ?? 'unknown limit'}, used in the last 24 h ${p.budget.used_24h}, margin ${Math.round(p.budget.margin * 100)} % (other tools on the same portfolio share this budget)`,
    ...p.forecast.map((w) => `  ${w.from} → ${w.to}: ${w.sends}`),
    `Finish estimate: ${p.finish_estimate ?? '—'} at ${p.throughput} msg/s`,
    `Cost estimate: ${p.cost_estimate.amount === null ? 'no rates (set a rate card)' : `${p.cost_estimate.amount} ${p.cost_estimate.currency}`} (estimate: only delivered messages are billed)`,
    ...(p.cost_estimate.card ? [`Rate card: ${cardLine(p.cost_estimate.card)}`] : []),
  ];
  if (p.ttl)
    lines.push(
      `Time-to-live: ${formatDuration(p.ttl.seconds)}, send by ${p.ttl.send_by}; ${p.ttl.may_miss} forecast send(s) may miss it (skipped as ttl_expired)`,
    );
  if (p.next_runs?.length) lines.push(`Next occurrences: ${p.next_runs.join(', ')}`);
  if (p.blockers.length) lines.push(`Cannot start: ${p.blockers.map((b) => b.message).join('; ')}`);
  return lines.join('\n');
}

export function registerCampaignCommands(program: Command, cli: CliContext): void {
  const campaign = program.command('campaign').description('Build, plan, start and watch template campaigns');

  campaign
    .command('create')
    .description('Create a draft campaign')
    .requiredOption('--name <name>', 'campaign name')
    .requiredOption('--template <name>', 'template name (must be synced and APPROVED to start)')
    .requiredOption('--language <code>', 'template language, e.g. en_US, he, zh_TW')
    .requiredOption('--audience <expr>', 'all, tag:NAME, segment:NAME, combined with and/or/not and parentheses')
    .option(
      '--param <KEY=SOURCE>',
      'parameter mapping, repeatable: 1=first_name|"friend", header=attr.city, button.0=attr.code',
      collect,
      [],
    )
    .option('--header-media <url|file>', 'header image/video/document: a URL, or a file to upload')
    .option('--at <iso8601>', 'send from this date-time (without an offset it is read in --tz); with --repeat: the time of day, HH:MM')
    .option('--tz <zone>', "IANA time zone for --at, --quiet and --repeat (e.g. Asia/Jerusalem; --repeat defaults to this machine's zone)")
    .option('--repeat <daily|weekly>', 'a recurring series: each occurrence is its own run at --at HH:MM, audience evaluated at that time')
    .option('--days <list>', 'with --repeat weekly: weekdays, e.g. mon,thu (sun mon tue wed thu fri sat)')
    .option('--until <YYYY-MM-DD>', 'with --repeat: last date (in --tz, inclusive) an occurrence may fall on')
    .option('--occurrences <n>', 'with --repeat: stop after this many runs')
    .option('--window <HH:MM-HH:MM>', "send only within this window in each recipient's local time")
    .option('--quiet <HH:MM-HH:MM>', 'never send in these local hours')
    .option('--tz-attribute <name>', "contact attribute holding a recipient's time zone (overrides the phone's country)")
    .option('--phone-number-id <id>', "sending number (default: the account's primary number)")
    .option('--rate <n>', 'sends per second for the number (default 80, max 1000)')
    .option('--margin <fraction>', 'part of the 24-hour limit kept for other tools (default 0.1)')
    .option('--frequency-cap <max/days>', 'at most MAX messages of this category per contact in DAYS days, e.g. 1/7')
    .option('--retry-131049 <n>', 'retries after the per-user marketing cap (131049), 24 h apart (default 2)')
    .option(
      '--ttl <duration>',
      'marketing time-to-live: recipients not sent within this of the start are skipped (ttl_expired), e.g. 2h, 90m, 1d; 5m to 30d',
    )
    .option('--json', 'print JSON')
    .action(async (o: Record<string, string | string[] | undefined>, cmd: Command) => {
      const ttl = o.ttl === undefined ? undefined : ttlOption(String(o.ttl));
      let margin: number | undefined;
      if (o.margin !== undefined) {
        margin = Number(o.margin);
        if (!(margin >= 0 && margin <= 0.9)) throw new CliError(`--margin must be 0–0.9, got ${String(o.margin)}`, EXIT_USAGE);
      }
      let cap: { max: number; days: number } | undefined;
      if (o.frequencyCap !== undefined) {
        const m = /^(\d+)\/(\d+)$/.exec(String(o.frequencyCap));
        if (!m) throw new CliError('--frequency-cap takes MAX/DAYS, e.g. 1/7', EXIT_USAGE);
        cap = { max: Number(m[1]), days: Number(m[2]) };
      }
      const repeat = repeatOption(o);
      await cli.withCore(cmd, async (core) => {
        const draft: CampaignDraft = {
          name: String(o.name),
          template: { name: String(o.template), language: String(o.language) },
          audience: String(o.audience),
          params: parseParams(o.param as string[]),
          header_media: await headerMedia(cli, core, o.headerMedia as string | undefined, o.phoneNumberId as string | undefined),
          ...(o.phoneNumberId ? { phone_number_id: String(o.phoneNumberId) } : {}),
          schedule: repeat
            ? {
                mode: o.window ? 'local_window' : 'now',
                tz: o.tz ? String(o.tz) : Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
                repeat,
                ...(o.window ? { window: String(o.window) } : {}),
                ...(o.quiet ? { quiet: String(o.quiet) } : {}),
                ...(o.tzAttribute ? { tz_attribute: String(o.tzAttribute) } : {}),
              }
            : {
                mode: o.window ? 'local_window' : o.at ? 'at' : 'now',
                ...(o.at ? { at: String(o.at) } : {}),
                ...(o.tz ? { tz: String(o.tz) } : {}),
                ...(o.window ? { window: String(o.window) } : {}),
                ...(o.quiet ? { quiet: String(o.quiet) } : {}),
                ...(o.tzAttribute ? { tz_attribute: String(o.tzAttribute) } : {}),
              },
          options: {
            ...(o.rate !== undefined ? { rate: intOption('--rate', String(o.rate), 1, 1000)! } : {}),
            ...(margin !== undefined ? { margin } : {}),
            ...(cap ? { frequency_cap: cap } : {}),
            ...(o.retry131049 !== undefined ? { retry_131049: intOption('--retry-131049', String(o.retry131049), 0, 7)! } : {}),
            ...(ttl !== undefined ? { ttl } : {}),
          },
        };
        const s = await cli.call(core, 'campaigns:create', draft);
        cli.print(
          cmd,
          s,
          () => `Created ${humanSummary(s)}${s.schedule.repeat ? `\nRepeats ${describeRepeat(s)}` : ''}\nNext: pacer campaign plan ${s.id}`,
        );
      });
    });

  campaign
    .command('list')
    .description('List campaigns')
    .option('--json', 'print JSON')
    .action(async (_o, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const list = await cli.call(core, 'campaigns:list', {});
        cli.print(cmd, list, () => list.map(humanSummary).join('\n') || 'No campaigns.');
      });
    });

  campaign
    .command('plan <id>')
    .description('Eligible count, exclusions, forecast against the 24-hour budget, cost estimate')
    .option('--json', 'print JSON')
    .action(async (id: string, _o, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const p = await cli.call(core, 'campaigns:plan', { id });
        cli.print(cmd, p, () => humanPlan(p));
      });
    });

  for (const verb of ['start', 'pause', 'resume', 'cancel', 'duplicate'] as const) {
    campaign
      .command(`${verb} <id>`)
      .description(
        {
          start: 'Snapshot the audience and start (or schedule) sending — `pacer run` or the app sends',
          pause: 'Pause sending',
          resume: 'Resume a paused campaign',
          cancel: 'Cancel: pending recipients are skipped',
          duplicate: 'Copy into a new draft',
        }[verb],
      )
      .option('--json', 'print JSON')
      .action(async (id: string, _o, cmd: Command) => {
        await cli.withCore(cmd, async (core) => {
          const s = await cli.call(core, `campaigns:${verb}`, { id });
          cli.print(cmd, s, () => humanSummary(s));
        });
      });
  }

  campaign
    .command('resend <id>')
    .description('Explicitly re-queue failed (not opted-out) or uncertain recipients')
    .option('--failed', 'failed recipients (default)')
    .option('--uncertain', 'recipients whose outcome is unknown after a crash or lost answer (they may get the message twice)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { failed?: boolean; uncertain?: boolean }, cmd: Command) => {
      if (o.failed && o.uncertain) throw new CliError('choose --failed or --uncertain', EXIT_USAGE);
      await cli.withCore(cmd, async (core) => {
        const r = await cli.call(core, 'campaigns:resend', { id, which: o.uncertain ? 'uncertain' : 'failed' });
        cli.print(cmd, r, () => `Re-queued ${r.requeued} recipient(s). ${humanSummary(r.campaign)}`);
      });
    });

  campaign
    .command('status <id>')
    .description('State and counts per ledger state')
    .option('--json', 'print JSON')
    .action(async (id: string, _o, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const s = await cli.call(core, 'campaigns:status', { id });
        cli.print(cmd, s, () =>
          [
            `${s.id} [${s.state}${s.pause_reason ? `: ${s.pause_reason} — ${s.pause_detail ?? ''}` : ''}] ${humanCounts(s.counts)}`,
            // The same standing the app's badge, progress card and list show (ledger-state.ts campaignStanding).
            `Processed ${s.standing.processed}/${s.standing.total}, ${s.standing.remaining} to go; next: ${s.standing.next}${s.standing.until ? ` (${s.standing.until})` : ''}`,
            s.waiting ? `Waiting: ${s.waiting.reason}${s.waiting.until ? ` until ${s.waiting.until}` : ''}` : '',
            s.finish_estimate ? `Finish estimate: ${s.finish_estimate}` : '',
            ...s.errors.map((e) => `  error ${e.code ?? '—'} (${e.error_class ?? 'unclassified'}): ${e.count}`),
          ]
            .filter(Boolean)
            .join('\n'),
        );
      });
    });

  campaign
    .command('occurrences <id>')
    .description("A recurring series' occurrences: each run with its counts, each skipped or missed one with the reason")
    .option('--limit <n>', 'newest first, at most this many (default 100)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { limit?: string }, cmd: Command) => {
      const limit = intOption('--limit', o.limit, 1, 1000) ?? 100;
      await cli.withCore(cmd, async (core) => {
        const r = await cli.call(core, 'campaigns:occurrences', { id, limit });
        cli.print(
          cmd,
          r,
          () =>
            r.rows
              .map(
                (x) =>
                  `${new Date(x.due_at).toISOString()}  ${x.outcome}${x.reason ? ` (${x.reason}${x.detail ? `: ${x.detail}` : ''})` : ''}${x.campaign ? `  ${x.campaign.id} [${x.campaign.state}] ${humanCounts(x.campaign.counts)}` : ''}`,
              )
              .join('\n') || 'No occurrences yet.',
        );
      });
    });

  campaign
    .command('report <id>')
    .description('One row per recipient (to --out, or stdout)')
    .option('--format <fmt>', 'csv, json or xlsx', 'csv')
    .option('--out <file>', 'write to this file (xlsx needs one)')
    .action(async (id: string, o: { format: string; out?: string }, cmd: Command) => {
      if (!['csv', 'json', 'xlsx'].includes(o.format))
        throw new CliError(`--format must be csv, json or xlsx, got ${o.format}`, EXIT_USAGE);
      const format = o.format as 'csv' | 'json' | 'xlsx';
      if (format === 'xlsx' && !o.out) throw new CliError('--format xlsx needs --out FILE', EXIT_USAGE);
      await cli.withCore(cmd, async (core) => {
        if (o.out) {
          await cli.call(core, 'campaigns:get', { id });
          const file = path.resolve(o.out);
          const rows = await writeReport(core.services.campaigns.reportRows(id), format, file);
          cli.io.err(`Wrote ${rows} row(s) to ${file}`);
          return;
        }
        await cli.call(core, 'campaigns:get', { id });
        const tmp = path.join(core.ctx.dataDir, `report-${process.pid}.tmp`);
        try {
          await writeReport(core.services.campaigns.reportRows(id), format, tmp);
          cli.io.out(fs.readFileSync(tmp, 'utf8').replace(/^\uFEFF/, ''));
        } finally {
          fs.rmSync(tmp, { force: true });
        }
      });
    });

  registerCampaignCostCommand(campaign, cli);

  campaign
    .command('test <id>')
    .description("Send the campaign's template now to a few numbers (test send), each gated like a campaign recipient")
    .requiredOption('--to <phone...>', 'numbers in any format the import takes (quote one with spaces; several may be separated by commas)')
    .option('--contact <id>', "use this contact's values for the parameters")
    .option('--i-have-consent', 'marketing template: I confirm these numbers opted in (recorded as a manual opt-in, evidence "test send")')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { to: string[]; contact?: string; iHaveConsent?: boolean }, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        await core.services.account.ready();
        const r = await cli.call(core, 'campaigns:test-send', {
          id,
          to: o.to,
          ...(o.contact ? { contact_id: intOption('--contact', o.contact, 1, Number.MAX_SAFE_INTEGER) } : {}),
          ...(o.iHaveConsent ? { i_have_consent: true } : {}),
        });
        cli.print(cmd, r, () => r.results.map(humanTestOutcome).join('\n'));
        const refused = r.results.filter((x) => !x.ok).length;
        if (refused) throw new CliError(`${refused} of ${r.results.length} number(s) not sent`, 1);
      });
    });
}

/** One line per number: "+972502345678  sent  wamid…" or "+12015550123  refused us_marketing_paused — why". */
function humanTestOutcome(x: TestSendOutcome): string {
  if (x.ok) return `${x.to}  sent  ${x.wamid ?? ''}${x.consent_recorded ? '  (consent recorded)' : ''}`;
  return `${x.to}  refused ${x.reason ?? 'error'}${x.error_code !== null ? ` ${x.error_code}` : ''} — ${x.error ?? ''}`;
}

/**
 * `pacer run`: the scheduler, the sender and the webhook receiver in the foreground (what the app
 * does while open). --until-idle exits once no campaign has work that can proceed now.
 */
export function registerRunCommand(program: Command, cli: CliContext): void {
  program
    .command('run')
    .description('Run the scheduler, sender and webhook receiver in the foreground')
    .option('--until-idle', 'exit 0 once no campaign has work that can proceed now')
    .option('--webhook-port <port>', 'webhook receiver port on 127.0.0.1 (default: the configured one; 0 = any free port)')
    .option('--json', 'print {"webhook_url": …} as JSON when started')
    .action(async (o: { untilIdle?: boolean; webhookPort?: string }, cmd: Command) => {
      const port = intOption('--webhook-port', o.webhookPort, 0, 65535);
      await cli.withCore(cmd, async (core) => {
        const ctx = core.ctx;
        // The same runtime the app and the harness run: receiver, appliers, scheduler and sender.
        const runtime = await startRuntime(core, port === undefined ? {} : { webhookPort: port });
        cli.print(
          cmd,
          { webhook_url: runtime.webhookUrl, recovered_uncertain: runtime.recovered },
          () =>
            `Pacer is sending. Webhooks: ${runtime.webhookUrl}${runtime.recovered ? `\n${runtime.recovered} send(s) interrupted earlier are now uncertain (not resent automatically).` : ''}\nPress Ctrl+C to stop.`,
        );
        const stopSignal = cli.io.untilSignal().then((s) => `signal ${s}`);
        const idle = o.untilIdle ? untilIdle(() => runtime.isIdle(), ctx) : new Promise<string>(() => undefined);
        const why = await Promise.race([stopSignal, idle]);
        cli.io.err(`Stopping (${why})…`);
        await runtime.stop();
      });
    });
}

/** Resolves after two consecutive idle checks 250 ms apart. */
async function untilIdle(isIdle: () => boolean, ctx: Core['ctx']): Promise<string> {
  let streak = 0;
  for (;;) {
    await new Promise((r) => ctx.clock.setTimeout(() => r(undefined), 250));
    streak = isIdle() ? streak + 1 : 0;
    if (streak >= 2) return 'idle';
  }
}
