import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The test suite is self-contained: nothing in test/, bench/ or scripts/ reads outside the
 * repository, so a clone anywhere runs it (docs/architecture.md, "Self-contained tests"). Reference
 * material a test needs is committed under test/fixtures/ (with its licence and provenance).
 *
 * The scan parses every source file and flags:
 *  - a relative path string ('../…', './…', '..') that, taken from the file's own folder, leaves
 *    the repository (import specifiers, vi.mock, fixture paths, Playwright output folders…);
 *  - a path built with path.join / path.resolve / path.dirname / new URL(…, import.meta.url), string
 *    concatenation or a template string, whose value can be worked out statically (from
 *    import.meta.dirname, __dirname, string literals and consts of the same or an imported module, e.g.
 *    REPO) and lies outside the repository;
 *  - any mention of the reference folder that sits beside the repository on CI (shared/specs,
 *    shared/reference, shared/design, shared/hooks).
 * What it cannot work out (a path from os.tmpdir(), an environment variable, a function result) it
 * leaves alone: those are temporary or machine folders, not repository inputs.
 */

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
const SCANNED = ['test', 'bench', 'scripts'];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
/** This file holds deliberately bad samples (below) and is exempt from the repository scan. */
const SELF = path.relative(REPO, import.meta.filename);
const REFERENCE_FOLDER = /\bshared[/\\](specs|reference|design|hooks)\b/;

interface Escape {
  file: string;
  line: number;
  text: string;
  why: string;
}

const inside = (p: string) => p === REPO || p.startsWith(REPO + path.sep);

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(full));
    else if (SOURCE.test(entry.name)) out.push(full);
  }
  return out;
}

const parsed = new Map<string, ts.SourceFile>();
function parse(file: string, text?: string): ts.SourceFile {
  const key = text === undefined ? file : `${file}\0${text}`;
  let sf = parsed.get(key);
  if (!sf) {
    sf = ts.createSourceFile(file, text ?? fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    parsed.set(key, sf);
  }
  return sf;
}

function resolveModule(fromFile: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const candidate of [base, ...['.ts', '.tsx', '.mts', '.mjs', '.js'].map((e) => base + e), path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Works out the string value of an expression, where it can be known statically (else undefined). */
class Evaluator {
  private readonly busy = new Set<string>();

  value(node: ts.Expression, sf: ts.SourceFile): string | undefined {
    const dir = path.dirname(sf.fileName);
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node))
      return this.value(node.expression, sf);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isTemplateExpression(node)) {
      let s = node.head.text;
      for (const span of node.templateSpans) {
        const v = this.value(span.expression, sf);
        if (v === undefined) return undefined;
        s += v + span.literal.text;
      }
      return s;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const l = this.value(node.left, sf);
      const r = this.value(node.right, sf);
      return l === undefined || r === undefined ? undefined : l + r;
    }
    if (ts.isMetaProperty(node)) return undefined;
    if (ts.isPropertyAccessExpression(node)) {
      const text = node.getText(sf);
      if (text === 'import.meta.dirname') return dir;
      if (text === 'import.meta.filename') return sf.fileName;
      if (text === 'path.sep') return path.sep;
      // new URL(…).pathname
      if (node.name.text === 'pathname' && ts.isNewExpression(node.expression)) return this.url(node.expression, sf);
      return undefined;
    }
    if (ts.isIdentifier(node)) {
      if (node.text === '__dirname') return dir;
      if (node.text === '__filename') return sf.fileName;
      return this.identifier(node.text, sf, node);
    }
    if (ts.isNewExpression(node)) return this.url(node, sf);
    if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(sf).replace(/^(node:)?path\.(posix\.)?/, '');
      if (callee === 'fileURLToPath' && node.arguments[0]) return this.value(node.arguments[0], sf);
      if (!['join', 'resolve', 'dirname'].includes(callee)) return undefined;
      // A path that starts at an absolute folder written out ('/app', '/home/u/.config' in a stand-in
      // for Electron) names a machine folder, not the repository's surroundings: like os.tmpdir(),
      // it is left alone. Paths anchored on the repository (import.meta.dirname, REPO) are followed.
      if (node.arguments[0] && isAbsoluteLiteral(node.arguments[0], sf, this)) return undefined;
      const args = node.arguments.map((a) => this.value(a, sf));
      if (args.some((a) => a === undefined)) return undefined;
      const parts = args as string[];
      if (callee === 'dirname') return parts[0] === undefined ? undefined : path.dirname(parts[0]);
      // Tests run from the repository root, so a relative path.resolve starts there.
      return callee === 'join' ? path.join(...parts) : path.resolve(REPO, ...parts);
    }
    return undefined;
  }

  /** new URL(rel, import.meta.url) → the path it names. */
  private url(node: ts.NewExpression, sf: ts.SourceFile): string | undefined {
    if (node.expression.getText(sf) !== 'URL' || node.arguments?.length !== 2) return undefined;
    if (node.arguments[1]!.getText(sf) !== 'import.meta.url') return undefined;
    const rel = this.value(node.arguments[0]!, sf);
    return rel === undefined ? undefined : path.resolve(path.dirname(sf.fileName), rel);
  }

  /**
   * A variable declared in a block around `at` (its initial value: for a `let` that a loop walks up
   * with path.dirname, the first step is the one that leaves), or a const imported from a relative module.
   */
  private identifier(name: string, sf: ts.SourceFile, at?: ts.Node): string | undefined {
    const key = `${sf.fileName}#${name}`;
    if (this.busy.has(key)) return undefined;
    this.busy.add(key);
    try {
      for (let scope: ts.Node | undefined = at ?? sf; scope; scope = scope.parent) {
        if (!ts.isBlock(scope) && !ts.isSourceFile(scope)) continue;
        for (const stmt of scope.statements) {
          if (ts.isVariableStatement(stmt)) {
            for (const d of stmt.declarationList.declarations) {
              if (ts.isIdentifier(d.name) && d.name.text === name) return d.initializer ? this.value(d.initializer, sf) : undefined;
            }
          }
          if (ts.isImportDeclaration(stmt) && ts.isStringLiteral(stmt.moduleSpecifier)) {
            const bindings = stmt.importClause?.namedBindings;
            if (!bindings || !ts.isNamedImports(bindings)) continue;
            for (const el of bindings.elements) {
              if (el.name.text !== name) continue;
              const target = resolveModule(sf.fileName, stmt.moduleSpecifier.text);
              return target ? this.identifier((el.propertyName ?? el.name).text, parse(target)) : undefined;
            }
          }
        }
      }
      return undefined;
    } finally {
      this.busy.delete(key);
    }
  }
}

/** An absolute path written as a literal, or a const initialised with one. */
function isAbsoluteLiteral(node: ts.Expression, sf: ts.SourceFile, ev: Evaluator): boolean {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return path.isAbsolute(node.text);
  if (!ts.isIdentifier(node)) return false;
  const v = ev.value(node, sf);
  return v !== undefined && path.isAbsolute(v) && !v.startsWith(REPO) && !/(__dirname|import\.meta)/.test(declarationText(node, sf));
}

/** The initialiser text of the variable `node` names in its file ('' if not found). */
function declarationText(node: ts.Identifier, sf: ts.SourceFile): string {
  let found = '';
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === node.text && n.initializer)
      found = n.initializer.getText(sf);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found || 'import.meta';
}

/** Every way `text` (the source of `file`) reads outside the repository. */
function findEscapes(file: string, text?: string): Escape[] {
  const sf = parse(file, text);
  const dir = path.dirname(file);
  const evaluator = new Evaluator();
  const found: Escape[] = [];
  const report = (node: ts.Node, why: string) => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    found.push({ file: path.relative(REPO, file), line: line + 1, text: node.getText(sf).slice(0, 120), why });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const s = node.text;
      if (REFERENCE_FOLDER.test(s)) report(node, 'names the reference folder beside the repository');
      else if (/^\.\.?([/\\]|$)/.test(s) && !inside(path.resolve(dir, s)))
        report(node, `relative path leaves the repository (→ ${path.resolve(dir, s)})`);
    } else if (
      ts.isCallExpression(node) ||
      ts.isNewExpression(node) ||
      ts.isTemplateExpression(node) ||
      ts.isBinaryExpression(node) ||
      ts.isPropertyAccessExpression(node)
    ) {
      const v = evaluator.value(node as ts.Expression, sf);
      if (v !== undefined && path.isAbsolute(v) && !inside(path.resolve(v))) {
        // Report the outermost expression only: path.join(path.resolve(…), '..') is one escape.
        const parent = node.parent;
        const parentValue = parent && ts.isExpression(parent) ? evaluator.value(parent, sf) : undefined;
        if (parentValue === undefined || !path.isAbsolute(parentValue) || inside(path.resolve(parentValue)))
          report(node, `path leaves the repository (→ ${v})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('the test suite is self-contained', () => {
  it('nothing in test/, bench/ or scripts/ reads outside the repository', () => {
    const files = SCANNED.flatMap((d) => listSources(path.join(REPO, d))).filter((f) => path.relative(REPO, f) !== SELF);
    expect(files.length).toBeGreaterThan(50);
    const escapes = files.flatMap((f) => findEscapes(f));
    expect(escapes.map((e) => `${e.file}:${e.line} ${e.text} — ${e.why}`)).toEqual([]);
  });

  it("the copy of Meta's OpenAPI spec is the unmodified file its provenance note names, with its licence", () => {
    const folder = path.join(REPO, 'test', 'fixtures', 'meta-whatsapp-openapi');
    const note = fs.readFileSync(path.join(folder, 'PROVENANCE.md'), 'utf8');
    const hash = /sha256 \(yaml\): ([0-9a-f]{64})/.exec(note)?.[1];
    const yaml = fs.readFileSync(path.join(folder, 'business-messaging-api_v23.0.yaml'));
    expect(crypto.createHash('sha256').update(yaml).digest('hex')).toBe(hash);
    expect(fs.readFileSync(path.join(folder, 'LICENSE'), 'utf8')).toMatch(
      /^MIT License\n\nCopyright \(c\) Meta Platforms, Inc\. and affiliates\./,
    );
  });

  describe('the scan (on samples, as if they were test/unit/x/sample.test.ts)', () => {
    const sample = path.join(REPO, 'test', 'unit', 'x', 'sample.test.ts');
    const escapes = (code: string) => findEscapes(sample, code).map((e) => e.text);

    it.each([
      [
        "const REPO = path.resolve(import.meta.dirname, '..', '..', '..');\nconst f = path.join(REPO, '..', 'shared', 'x.yaml');",
        "path.join(REPO, '..', 'shared', 'x.yaml')",
      ],
      [
        "const f = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'x.md');",
        "path.resolve(import.meta.dirname, '..', '..', '..', '..', 'x.md')",
      ],
      [
        "const f = path.dirname(path.resolve(import.meta.dirname, '../../..'));",
        "path.dirname(path.resolve(import.meta.dirname, '../../..'))",
      ],
      ["import spec from '../../../../spec.json';", "'../../../../spec.json'"],
      ["const f = fs.readFileSync('../../../../notes.md');", "'../../../../notes.md'"],
      ["const ROOT = new URL('../../..', import.meta.url).pathname;\nconst f = `${ROOT}/../other/file`;", '`${ROOT}/../other/file`'],
      ["const ROOT = path.resolve(import.meta.dirname, '../../..');\nconst f = ROOT + '/../other';", "ROOT + '/../other'"],
      ["const f = 'reference/shared/specs/meta/x.yaml';", "'reference/shared/specs/meta/x.yaml'"],
    ])('flags %s', (code, flagged) => {
      expect(escapes(code)).toEqual([flagged]);
    });

    it('flags a walk up from the repository root in search of a folder beside it', () => {
      const walkUp = [
        "const REPO = path.resolve(import.meta.dirname, '..', '..', '..');",
        'export function find(relative: string): string {',
        '  let dir = REPO;',
        '  for (;;) {',
        "    if (fs.existsSync(path.join(dir, 'notes', relative))) return dir;",
        '    const parent = path.dirname(dir);',
        '    if (parent === dir) break;',
        '    dir = parent;',
        '  }',
        "  throw new Error('not found');",
        '}',
      ].join('\n');
      expect(escapes(walkUp)).toEqual(['path.dirname(dir)']);
    });

    it('follows a const imported from another module (test/support/harness.ts exports REPO)', () => {
      expect(escapes("import { REPO } from '../../support/harness';\nconst f = path.join(REPO, '..', 'x');")).toEqual([
        "path.join(REPO, '..', 'x')",
      ]);
    });

    it.each([
      "import { x } from '../../../shared/contract/campaigns';",
      "const f = path.join(REPO, 'renderer', 'i18n');",
      "const f = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'a.yaml');",
      "const out = '../../test-results/e2e-web';",
      "const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-'));\nconst up = path.join(dir, '..');",
      "const p = path.join(process.env.HOME ?? '', '..');",
      "const appDir = '/app';\nconst dep = path.join(appDir, 'node_modules', 'better-sqlite3');",
      "const home = path.join('/home/u/.config', 'Pacer');",
      "const t = 'a/../../etc/passwd';",
      "const u = new URL('..', 'https://example.com/a/b');",
    ])('allows %s', (code) => {
      expect(escapes(code)).toEqual([]);
    });
  });
});
