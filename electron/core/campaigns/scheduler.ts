/**
 * The scheduler: the campaign-level automation around the sender, on a short tick.
 * - scheduled campaigns whose start time came → running;
 * - recurring series whose next occurrence is due → `seriesDue` (the service creates the occurrence);
 * - running campaigns with nothing pending or sending → completed;
 * - auto-paused campaigns (template PAUSED) → resumed when the template is APPROVED again;
 * - watchdog: pause when the template's quality turns RED or the sending number's quality drops
 *   (the failure-rate watchdog lives in the sender, which sees every outcome).
 */
import type { CoreContext } from '../context';
import type { TimerHandle } from '../clock';
import type { PauseReason } from '../../../shared/contract/campaigns';
import type { CampaignPorts } from './ports';
import type { CampaignRow } from './runtime';
import { parseLocalDateTime } from './send-window';
import { activeCampaigns } from './store/campaigns';
import { openRowCount } from './store/ledger';

const QUALITY_RANK: Record<string, number> = { GREEN: 3, YELLOW: 2, RED: 1 };

export interface SchedulerHooks {
  setRunning(id: string): void;
  complete(id: string): void;
  resume(id: string, automatic: true): void;
  pause(id: string, reason: PauseReason, detail: string, autoResume: boolean): void;
  /** A series' next occurrence is due (asynchronous; the service guards against re-entry). */
  seriesDue(id: string): void;
}

export class Scheduler {
  private timer: TimerHandle | null = null;
  private running = false;
  /** Sending number's quality when the campaign (re)started: a drop from it pauses. */
  private readonly baseline = new Map<string, number>();
  /**
   * Auto-paused campaigns whose template was seen not APPROVED since the pause. A 132015 answer can
   * come before the template_status webhook updates the stored status: resuming on the stale
   * "APPROVED" would only bounce off 132015 again, so we wait to see the pause, then the approval
   * (or, if the pause was never seen, for `staleResumeMs`).
   */
  private readonly sawNotApproved = new Set<string>();
  staleResumeMs = 10 * 60_000;

  constructor(
    private readonly ctx: CoreContext,
    private readonly ports: CampaignPorts,
    private readonly hooks: SchedulerHooks,
    private readonly tickMs = 500,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer) this.ctx.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Forget the quality baseline (on start/resume the current quality becomes the new baseline). */
  resetBaseline(id: string): void {
    this.baseline.delete(id);
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.ctx.clock.setTimeout(() => {
      try {
        this.tick();
      } catch (e) {
        this.ctx.log.error('campaign scheduler tick failed', { error: String(e) });
      }
      this.schedule();
    }, this.tickMs);
  }

  /** One pass; also called directly by tests and `pacer run --until-idle`. */
  tick(): void {
    const db = this.ctx.db;
    const now = this.ctx.clock.now();
    const rows = activeCampaigns(db);
    for (const c of rows) {
      if (c.state === 'scheduled' && isSeriesRow(c)) {
        if (c.next_run_at !== null && c.next_run_at <= now) this.hooks.seriesDue(c.id);
        continue;
      }
      if (c.state === 'paused' && isSeriesRow(c)) continue;
      if (c.state === 'scheduled') {
        if (startTimeOf(c) <= now) this.hooks.setRunning(c.id);
        continue;
      }
      const template = this.ports.templates.get(c.template_name, c.template_language);
      if (c.state === 'paused') {
        if (!c.auto_resume || (c.pause_reason !== 'template_paused' && c.pause_reason !== 'template_missing')) continue;
        if (template?.status !== 'APPROVED') {
          this.sawNotApproved.add(c.id);
          continue;
        }
        // Approved again after the pause — known from the stored change time, so a restart (a new
        // scheduler that never saw the pause) resumes too. Webhook times are whole seconds: 1 s slack.
        const approvedSincePause = template.changedAt !== undefined && template.changedAt >= c.updated_at - 1000;
        if (this.sawNotApproved.has(c.id) || approvedSincePause || now - c.updated_at >= this.staleResumeMs) {
          this.sawNotApproved.delete(c.id);
          this.hooks.resume(c.id, true);
        }
        continue;
      }
      // running
      if (openRowCount(db, c.id) === 0) {
        this.hooks.complete(c.id);
        continue;
      }
      if (template?.quality === 'RED') {
        this.hooks.pause(c.id, 'template_quality_red', `Template ${c.template_name} quality turned RED`, false);
        continue;
      }
      const number = c.phone_number_id ?? this.ports.account.defaultPhoneNumberId();
      const q = number ? QUALITY_RANK[this.ports.account.numberQuality(number) ?? ''] : undefined;
      if (q !== undefined) {
        const base = this.baseline.get(c.id);
        if (base === undefined || q > base) this.baseline.set(c.id, q);
        else if (q < base) {
          this.baseline.delete(c.id);
          this.hooks.pause(
            c.id,
            'number_quality',
            `The sending number's quality dropped to ${this.ports.account.numberQuality(number!)}`,
            false,
          );
        }
      }
    }
  }
}

/** When a campaign may start sending (its `at`, else immediately). */
export function startTimeOf(c: Pick<CampaignRow, 'schedule'>): number {
  const s = JSON.parse(c.schedule) as { at?: string | null; tz?: string | null };
  if (!s.at) return -Infinity;
  try {
    return parseLocalDateTime(s.at, s.tz ?? 'UTC');
  } catch {
    return -Infinity;
  }
}

/** A recurring series (its schedule has a repeat); it never sends itself, its occurrences do. */
export function isSeriesRow(c: Pick<CampaignRow, 'schedule' | 'series_id'>): boolean {
  if (c.series_id) return false;
  try {
    return !!(JSON.parse(c.schedule) as { repeat?: unknown }).repeat;
  } catch {
    return false;
  }
}
