/**
 * Retarget from results (contract: shared/contract/retarget.ts): the contacts of a campaign at one
 * funnel stage, counted, or tagged so a new campaign (audience `tag:"…"`) or a segment can reach
 * them. Tagging is a snapshot — the people at that stage now — which is what a follow-up wants:
 * the new campaign's audience does not shift while it is being prepared. Exclusions are not applied
 * here: the new campaign's plan applies them (consent, opt-outs, erasures, holds) and explains them.
 */
import type { Db } from '../db/connection';
import type { CoreContext } from '../context';
import type { HandlerGroup } from '../api/handlers';
import { notFound } from '../errors';
import {
  RETARGET_STAGES,
  type RetargetResult,
  type RetargetStage,
  type RetargetStageCount,
  type retargetMethods,
} from '../../../shared/contract/retarget';

const replied = 'EXISTS (SELECT 1 FROM inbound_replies i WHERE i.recipient_id = r.id)';

/**
 * Each stage's condition on a ledger row `r`. One entry per stage: adding `clicked` (when clicks
 * are recorded) is one line here and its name in RETARGET_STAGES.
 */
export const STAGE_SQL: Record<RetargetStage, string> = {
  not_read: `r.state IN ('accepted', 'sent', 'delivered')`,
  read_no_reply: `r.state = 'read' AND NOT ${replied}`,
  replied,
  // Not the person's fault: anything but "not a WhatsApp user / undeliverable" and an opt-out (131050).
  failed_retryable: `r.state = 'failed' AND coalesce(r.error_class, '') NOT IN ('terminal_recipient', 'suppress_contact')`,
};

function ensureCampaign(db: Db, id: string): void {
  if (!db.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(id)) throw notFound(`No campaign ${id}`);
}

/** The contact ids at a stage (rows of erased people have no contact and are left out). */
/** SQL with one parameter (the campaign id). */
function stageContacts(stage: RetargetStage): string {
  return `SELECT DISTINCT r.contact_id FROM campaign_recipients r WHERE r.campaign_id = ? AND r.contact_id IS NOT NULL AND (${STAGE_SQL[stage]})`;
}

export function stageCounts(db: Db, id: string): RetargetStageCount[] {
  ensureCampaign(db, id);
  return RETARGET_STAGES.map((stage) => ({
    stage,
    contacts: db
      .prepare(`SELECT count(*) FROM (${stageContacts(stage)})`)
      .pluck()
      .get(id) as number,
  }));
}

/** Tags the stage's contacts with `tag` (created if new; the name matches case-insensitively, as tags do). */
export function retarget(db: Db, id: string, stage: RetargetStage, tag: string, now: number): RetargetResult {
  ensureCampaign(db, id);
  const name = tag.trim();
  let contacts = 0;
  let stored = name;
  db.transaction(() => {
    db.prepare('INSERT INTO tags (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, now);
    const t = db.prepare('SELECT id, name FROM tags WHERE name = ?').get(name) as { id: number; name: string };
    stored = t.name;
    db.prepare(`INSERT OR IGNORE INTO contact_tags (tag_id, contact_id) SELECT ?, contact_id FROM (${stageContacts(stage)})`).run(t.id, id);
    contacts = db
      .prepare(`SELECT count(*) FROM (${stageContacts(stage)})`)
      .pluck()
      .get(id) as number;
  })();
  return { tag: stored, audience: `tag:"${stored}"`, contacts };
}

type RetargetMethod = keyof typeof retargetMethods;

export function retargetHandlers(ctx: CoreContext): HandlerGroup<RetargetMethod> {
  return {
    'campaigns:retarget-stages': ({ id }) => stageCounts(ctx.db, id),
    'campaigns:retarget': ({ id, stage, tag }) => {
      const r = retarget(ctx.db, id, stage, tag, ctx.clock.now());
      ctx.emit('contacts:changed', { reason: 'bulk' });
      return r;
    },
  };
}
