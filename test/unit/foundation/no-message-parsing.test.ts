import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../support/harness';

/**
 * The renderer never decides anything from the core's English text (docs/architecture.md, "Errors
 * and blockers are codes"): results carry codes (shared/contract/result.ts), plan blockers
 * `{ code, params }`, import rows `code` + `params`. English `message` / `reason` / `detail` fields
 * are for the CLI and logs; the UI may show them as they are, but never parse them.
 *
 * The scan parses every renderer file and flags a text search:
 *   (a) on core text: `X.match|matchAll|search|replace|replaceAll|split|includes|startsWith|endsWith|indexOf|lastIndexOf(…)`
 *       or `regex.test|exec(X)` where X is (after unwrapping `?? ''`, `|| ''`, parentheses,
 *       String(…), .toLowerCase() / .toUpperCase() / .trim()) a field or variable named like the
 *       contract's English text: message, reason, detail, details, error, error_detail,
 *       pause_detail, skip_reason, why_not, summary;
 *   (b) with an English phrase as the pattern, whatever it is run on: a regex or string of two or
 *       more words (`/header media is required/`, `'not found'`) passed to any of those methods,
 *       or to new RegExp(…).
 * Allowed, and not flagged: comparing codes (`r.code === 'conflict'`, `b.startsWith('token_')` on
 * a code, `LIST.includes(x.reason)` on an array), checking the shape of a value the UI owns or a
 * param (`/^\d{4}-\d{2}-\d{2}$/.test(date)`), and showing a message unparsed.
 */

const TEXT_NAMES = new Set([
  'message',
  'reason',
  'detail',
  'details',
  'error',
  'error_detail',
  'pause_detail',
  'skip_reason',
  'why_not',
  'summary',
]);
const STRING_METHODS = new Set([
  'match',
  'matchAll',
  'search',
  'replace',
  'replaceAll',
  'split',
  'includes',
  'startsWith',
  'endsWith',
  'indexOf',
  'lastIndexOf',
]);
const REGEX_METHODS = new Set(['test', 'exec']);
const TRANSPARENT_CALLS = new Set([
  'toLowerCase',
  'toUpperCase',
  'toLocaleLowerCase',
  'toLocaleUpperCase',
  'trim',
  'trimStart',
  'trimEnd',
  'normalize',
  'toString',
]);
/** Two or more words of letters separated by spaces: prose, not a code or a format. */
const PROSE = /[A-Za-z]{2,}'?[a-z]* +[A-Za-z]{2,}/;

interface Finding {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** The text an expression stands for, with wrappers that do not change it removed. */
function unwrap(e: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e)) e = e.expression;
    else if (ts.isBinaryExpression(e) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind))
      e = e.left;
    else if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'String' && e.arguments[0])
      e = e.arguments[0];
    else if (
      ts.isCallExpression(e) &&
      ts.isPropertyAccessExpression(e.expression) &&
      TRANSPARENT_CALLS.has(e.expression.name.text) &&
      e.arguments.length <= 1
    )
      e = e.expression.expression;
    else return e;
  }
}

/** The name the text goes by: `r.message` → message, `detail` → detail, `e.params?.value` → value. */
function nameOf(e: ts.Expression): string | null {
  const u = unwrap(e);
  if (ts.isIdentifier(u)) return u.text;
  if (ts.isPropertyAccessExpression(u)) return u.name.text;
  if (ts.isElementAccessExpression(u) && ts.isStringLiteral(u.argumentExpression)) return u.argumentExpression.text;
  return null;
}

function isProse(e: ts.Expression | undefined): boolean {
  if (!e) return false;
  const u = unwrap(e);
  if (ts.isRegularExpressionLiteral(u)) return PROSE.test(u.text.slice(1, u.text.lastIndexOf('/')));
  if (ts.isStringLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u)) return PROSE.test(u.text);
  if (ts.isTemplateExpression(u)) return PROSE.test(u.head.text) || u.templateSpans.some((s) => PROSE.test(s.literal.text));
  return false;
}

function scan(file: string, text: string): Finding[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Finding[] = [];
  const report = (node: ts.Node, why: string) => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    found.push({ file: path.relative(REPO, file), line: line + 1, text: node.getText(sf).slice(0, 140), why });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const receiver = node.expression.expression;
      if (REGEX_METHODS.has(method) && node.arguments[0]) {
        const name = nameOf(node.arguments[0]);
        if (name && TEXT_NAMES.has(name)) report(node, `a pattern run on the core's text (${name})`);
        else if (isProse(receiver)) report(node, 'an English phrase as the pattern');
      } else if (STRING_METHODS.has(method)) {
        const name = nameOf(receiver);
        if (name && TEXT_NAMES.has(name)) report(node, `a search in the core's text (${name})`);
        else if (isProse(node.arguments[0])) report(node, 'an English phrase as the pattern');
      }
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'RegExp' &&
      isProse(node.arguments?.[0])
    ) {
      report(node, 'an English phrase as the pattern');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function rendererFiles(dir = path.join(REPO, 'renderer')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return rendererFiles(full);
    return /\.(ts|tsx)$/.test(e.name) ? [full] : [];
  });
}

describe("the renderer never parses the core's English text", () => {
  it('no renderer file searches a message, reason or detail, or matches an English phrase', () => {
    const files = rendererFiles();
    expect(files.length).toBeGreaterThan(50);
    const findings = files.flatMap((f) => scan(f, fs.readFileSync(f, 'utf8')));
    expect(findings.map((f) => `${f.file}:${f.line} ${f.text} — ${f.why}`)).toEqual([]);
  });

  describe('the scan, on samples', () => {
    const flagged = (code: string) => scan(path.join(REPO, 'renderer', 'sample.tsx'), code).map((f) => f.text);

    it.each([
      // What PlanPanel and ReportView did before plan blockers and import rows carried codes.
      ["if (/header media is required/.test(b)) return 'x';", '/header media is required/.test(b)'],
      [
        'const quoted = /^consent value (".*") is not understood/s.exec(e.reason)?.[1];',
        '/^consent value (".*") is not understood/s.exec(e.reason)',
      ],
      ['const day = /\\d{4}-\\d{2}-\\d{2}/.exec(e.reason)?.[0];', '/\\d{4}-\\d{2}-\\d{2}/.exec(e.reason)'],
      ["if (r.message.includes('not found')) show();", "r.message.includes('not found')"],
      ['const m = message.match(/code (\\d+)/);', 'message.match(/code (\\d+)/)'],
      ["if (detail.includes('x')) show();", "detail.includes('x')"],
      ['if (/timeout/i.test(err.message)) retry();', '/timeout/i.test(err.message)'],
      ["if ((r.message ?? '').toLowerCase().startsWith('campaign')) go();", "(r.message ?? '').toLowerCase().startsWith('campaign')"],
      ["if (String(a.pause_detail).endsWith('%')) warn();", "String(a.pause_detail).endsWith('%')"],
      ["if (text.includes('only APPROVED templates')) no();", "text.includes('only APPROVED templates')"],
      ["const re = new RegExp('is not mapped');", "new RegExp('is not mapped')"],
    ])('flags %s', (code, expected) => {
      expect(flagged(code)).toEqual([expected]);
    });

    it.each([
      "if (r.code === 'conflict') toast(t('segments.nameTaken'));",
      "const tokenBlocked = blockers.some((b) => b.startsWith('token_'));",
      'const active = ACTIVE.includes(c.reason);',
      "const ok = /^\\d{4}-\\d{2}-\\d{2}$/.test(e.params?.date ?? '');",
      'const narrow = /^(he|zh)/.test(language);',
      "toast('error', r.message);",
      "const parts = name.split(' ');",
      '<p className="small muted" dir="auto">{campaign.pause_detail}</p>',
    ])('allows %s', (code) => {
      expect(flagged(code)).toEqual([]);
    });
  });
});
