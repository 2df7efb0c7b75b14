/**
 * Segment rules and audience expressions → SQL conditions on `contacts c`.
 *
 * Audience expressions (campaigns, CLI): `all`, `tag:NAME`, `segment:NAME`, combined with `and`,
 * `or`, `not` and parentheses; NAME may be "double quoted" to hold spaces. Precedence: not > and > or.
 * Example: `tag:vip and not (tag:"do not disturb" or segment:churned)`.
 */
import type { ConsentCategory, SegmentCondition, SegmentRule } from '../../../shared/contract/contacts';
import { segmentRuleSchema } from '../../../shared/contract/contacts';
import type { Db } from '../db/connection';
import { badInput } from '../errors';

export interface SqlCond {
  sql: string;
  params: unknown[];
}

const DAY = 86_400_000;

function conditionSql(db: Db, cond: SegmentCondition, now: number): SqlCond {
  switch (cond.field) {
    case 'tag': {
      const sql = 'c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = ?)';
      return { sql: cond.op === 'has' ? sql : `NOT ${sql}`, params: [cond.value] };
    }
    case 'consent': {
      const exists =
        cond.value === 'unknown'
          ? 'NOT EXISTS (SELECT 1 FROM consent_state cs WHERE cs.contact_id = c.id AND cs.category = ?)'
          : 'EXISTS (SELECT 1 FROM consent_state cs WHERE cs.contact_id = c.id AND cs.category = ? AND cs.state = ?)';
      const params = cond.value === 'unknown' ? [cond.category] : [cond.category, cond.value];
      return { sql: cond.op === 'is' ? exists : `NOT (${exists})`, params };
    }
    case 'country': {
      const marks = cond.values.map(() => '?').join(', ');
      return cond.op === 'in'
        ? { sql: `c.country IN (${marks})`, params: cond.values }
        : { sql: `(c.country IS NULL OR c.country NOT IN (${marks}))`, params: cond.values };
    }
    case 'attr': {
      const def = db.prepare('SELECT id, type FROM attribute_defs WHERE name = ?').get(cond.name) as
        { id: number; type: string } | undefined;
      if (!def) return cond.op === 'not_exists' || cond.op === 'neq' ? { sql: '1', params: [] } : { sql: '0', params: [] };
      const base = 'SELECT 1 FROM contact_attributes a WHERE a.contact_id = c.id AND a.attr_id = ?';
      let v: unknown = cond.value;
      if (def.type === 'boolean') v = v === true || v === 'true' || v === 1 ? 1 : 0;
      else if (def.type === 'number' && v !== undefined) v = Number(v);
      else if (v !== undefined) v = String(v);
      switch (cond.op) {
        case 'exists':
          return { sql: `EXISTS (${base})`, params: [def.id] };
        case 'not_exists':
          return { sql: `NOT EXISTS (${base})`, params: [def.id] };
        case 'eq':
          return { sql: `EXISTS (${base} AND a.value = ?)`, params: [def.id, v] };
        case 'neq':
          return { sql: `NOT EXISTS (${base} AND a.value = ?)`, params: [def.id, v] };
        case 'contains':
          return { sql: `EXISTS (${base} AND instr(lower(a.value), lower(?)) > 0)`, params: [def.id, String(cond.value ?? '')] };
        case 'gt':
          return { sql: `EXISTS (${base} AND a.value > ?)`, params: [def.id, v] };
        case 'lt':
          return { sql: `EXISTS (${base} AND a.value < ?)`, params: [def.id, v] };
      }
      break;
    }
    case 'last_messaged': {
      const since = now - (cond.days ?? 30) * DAY;
      if (cond.op === 'never') return { sql: 'c.last_messaged_at IS NULL', params: [] };
      if (cond.op === 'within_days') return { sql: 'c.last_messaged_at >= ?', params: [since] };
      return { sql: '(c.last_messaged_at IS NULL OR c.last_messaged_at < ?)', params: [since] };
    }
  }
  return { sql: '1', params: [] };
}

export function ruleSql(db: Db, rule: SegmentRule, now: number): SqlCond {
  const r = segmentRuleSchema.parse(rule);
  if (!r.conditions.length) return { sql: '1', params: [] };
  const parts = r.conditions.map((c) => conditionSql(db, c, now));
  return { sql: `(${parts.map((p) => p.sql).join(r.match === 'all' ? ' AND ' : ' OR ')})`, params: parts.flatMap((p) => p.params) };
}

export function segmentSqlByName(db: Db, name: string, now: number): SqlCond {
  const row = db.prepare('SELECT rule FROM segments WHERE name = ?').get(name) as { rule: string } | undefined;
  if (!row) throw badInput(`There is no segment named "${name}".`);
  return ruleSql(db, JSON.parse(row.rule) as SegmentRule, now);
}

export function segmentSqlById(db: Db, id: number, now: number): SqlCond {
  const row = db.prepare('SELECT rule FROM segments WHERE id = ?').get(id) as { rule: string } | undefined;
  if (!row) throw badInput(`There is no segment with id ${id}.`);
  return ruleSql(db, JSON.parse(row.rule) as SegmentRule, now);
}

// --- audience expressions -----------------------------------------------------------------------

type Token = { kind: 'word' | 'term' | '(' | ')'; text: string; at: number };

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch, text: ch, at: i });
      i++;
      continue;
    }
    const start = i;
    let text = '';
    while (i < expr.length && !/[\s()]/.test(expr[i]!)) {
      if (expr[i] === '"') {
        const end = expr.indexOf('"', i + 1);
        if (end < 0) throw badInput(`Audience: unclosed quote at ${i + 1}`);
        text += expr.slice(i + 1, end);
        i = end + 1;
      } else text += expr[i++];
    }
    const lower = text.toLowerCase();
    tokens.push({
      kind: ['and', 'or', 'not', 'all'].includes(lower) ? 'word' : 'term',
      text: ['and', 'or', 'not', 'all'].includes(lower) ? lower : text,
      at: start,
    });
  }
  return tokens;
}

/** Parses an audience expression into a SQL condition on contacts c (consent not applied). */
export function audienceSql(db: Db, expr: string, now: number): SqlCond {
  const tokens = tokenize(expr);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (msg: string): never => {
    throw badInput(`Audience "${expr}": ${msg}. Use all, tag:NAME, segment:NAME with and/or/not and parentheses.`);
  };
  const primary = (): SqlCond => {
    const t = peek();
    if (!t) return fail('it ends too early');
    pos++;
    if (t.kind === '(') {
      const inner = orExpr();
      if (peek()?.kind !== ')') fail(`missing ")" for "(" at ${t.at + 1}`);
      pos++;
      return { sql: `(${inner.sql})`, params: inner.params };
    }
    if (t.kind === 'word' && t.text === 'all') return { sql: '1', params: [] };
    if (t.kind === 'word' && t.text === 'not') {
      const inner = primary();
      return { sql: `NOT (${inner.sql})`, params: inner.params };
    }
    if (t.kind === 'term') {
      const m = /^(tag|segment):(.+)$/i.exec(t.text);
      if (!m) return fail(`"${t.text}" is not a term`);
      if (m[1]!.toLowerCase() === 'tag') {
        return {
          sql: 'c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = ?)',
          params: [m[2]],
        };
      }
      return segmentSqlByName(db, m[2]!, now);
    }
    return fail(`unexpected "${t.text}" at ${t.at + 1}`);
  };
  const andExpr = (): SqlCond => {
    let left = primary();
    while (peek()?.kind === 'word' && peek()!.text === 'and') {
      pos++;
      const right = primary();
      left = { sql: `${left.sql} AND ${right.sql}`, params: [...left.params, ...right.params] };
    }
    return left;
  };
  const orExpr = (): SqlCond => {
    let left = andExpr();
    while (peek()?.kind === 'word' && peek()!.text === 'or') {
      pos++;
      const right = andExpr();
      left = { sql: `(${left.sql} OR ${right.sql})`, params: [...left.params, ...right.params] };
    }
    return left;
  };
  if (!tokens.length) fail('it is empty');
  const result = orExpr();
  if (pos < tokens.length) fail(`unexpected "${tokens[pos]!.text}" at ${tokens[pos]!.at + 1}`);
  return { sql: `(${result.sql})`, params: result.params };
}

/** The suppression every audience gets: no contact opted out of the category. */
export function notOptedOutSql(category: ConsentCategory): SqlCond {
  return {
    sql: "NOT EXISTS (SELECT 1 FROM consent_state so WHERE so.contact_id = c.id AND so.category = ? AND so.state = 'opted_out')",
    params: [category],
  };
}
