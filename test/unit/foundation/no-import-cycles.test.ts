import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * No import cycles between the core's domain folders (docs/architecture.md, "Wiring"). A folder may
 * depend on another only one way; when two folders need each other, the shared part moves to the
 * folder both depend on, or the dependency is inverted (an interface here, the implementation passed
 * in by the composition root, electron/core/compose.ts). Files directly in electron/core (context,
 * errors, clock, log, the root and the runtime) are not a folder: the root imports every domain.
 *
 * Every import counts, type-only ones too: a type import is still a dependency a newcomer follows.
 */

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
const CORE = path.join(REPO, 'electron', 'core');
const DOMAIN_FOLDERS = [
  'account',
  'templates',
  'webhooks',
  'whatsapp',
  'campaigns',
  'contacts',
  'sandbox',
  'settings',
  'secrets',
  'db',
  'http',
  'host',
  'cli',
  'api',
  'files',
  'privacy',
  'audit',
] as const;

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(full));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Module specifiers of a file: import/export declarations, `import('…')` and `import x = require('…')`. */
function importsOf(file: string, text = fs.readFileSync(file, 'utf8')): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      out.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      out.push(node.arguments[0].text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      out.push(node.moduleReference.expression.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      out.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The domain folder a path under electron/core belongs to, or null (a root file, or outside the core). */
function folderOf(file: string): string | null {
  const rel = path.relative(CORE, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const parts = rel.replaceAll('\\', '/').split('/');
  const first = parts[0]!;
  return (DOMAIN_FOLDERS as readonly string[]).includes(first) && parts.length > 1 ? first : null;
}

type FolderGraph = Map<string, Map<string, string[]>>;

/** folder → folder → the importing files (for the message). */
function folderGraph(files: { file: string; text?: string }[]): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const { file, text } of files) {
    const from = folderOf(file);
    if (!from) continue;
    for (const spec of importsOf(file, text)) {
      if (!spec.startsWith('.')) continue;
      const to = folderOf(path.resolve(path.dirname(file), spec));
      if (!to || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, edges);
      const by = edges.get(to) ?? [];
      by.push(`${path.relative(REPO, file)} → ${spec}`);
      edges.set(to, by);
    }
  }
  return graph;
}

/** Every elementary cycle found by a DFS from each node (each reported once, rotated to its smallest folder). */
function findCycles(graph: FolderGraph): string[][] {
  const cycles = new Map<string, string[]>();
  const nodes = [...graph.keys()].sort();
  for (const start of nodes) {
    const stack: string[] = [start];
    const walk = (node: string) => {
      for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
        if (next === start) {
          const min = stack.reduce((m, n, i) => (n < stack[m]! ? i : m), 0);
          const rotated = [...stack.slice(min), ...stack.slice(0, min)];
          cycles.set(rotated.join('>'), rotated);
        } else if (!stack.includes(next) && next > start) {
          stack.push(next);
          walk(next);
          stack.pop();
        }
      }
    };
    walk(start);
  }
  return [...cycles.values()];
}

function describeCycle(graph: FolderGraph, cycle: string[]): string {
  const hops = cycle.map((from, i) => {
    const to = cycle[(i + 1) % cycle.length]!;
    const why = graph.get(from)!.get(to)!;
    return `  ${from} → ${to}: ${why[0]}${why.length > 1 ? ` (+${why.length - 1} more)` : ''}`;
  });
  return `${[...cycle, cycle[0]].join(' → ')}\n${hops.join('\n')}`;
}

/** The source file a relative import names (`./x` → x.ts, x.tsx or x/index.ts), or null. */
function resolveFile(from: string, spec: string, exists: (f: string) => boolean): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const f of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')])
    if (/\.tsx?$/.test(f) && exists(f)) return f;
  return null;
}

/** file → imported file → how (for the message), over the given files only. */
function fileGraph(files: { file: string; text?: string }[]): FolderGraph {
  const known = new Set(files.map((f) => f.file));
  const graph: FolderGraph = new Map();
  for (const { file, text } of files) {
    const edges = new Map<string, string[]>();
    graph.set(file, edges);
    for (const spec of importsOf(file, text)) {
      if (!spec.startsWith('.')) continue;
      const to = resolveFile(file, spec, (f) => known.has(f));
      if (to && to !== file) edges.set(to, [`${path.relative(REPO, file)} → ${spec}`]);
    }
  }
  return graph;
}

/** The graph's strongly connected parts of more than one node (Tarjan): each is at least one cycle. */
function tangles(graph: FolderGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const part: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        part.push(w);
      } while (w !== v);
      if (part.length > 1) out.push(part.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

function describeTangle(graph: FolderGraph, part: string[]): string {
  const inside = new Set(part);
  const hops = part.flatMap((from) =>
    [...(graph.get(from)?.entries() ?? [])].filter(([to]) => inside.has(to)).map(([, why]) => `  ${why[0]}`),
  );
  return `${part.length} files import each other in a loop:\n${hops.join('\n')}`;
}

describe('import cycles between files', () => {
  it('there are none in electron/, renderer/ and shared/ (a file never imports itself back through others)', () => {
    const files = ['electron', 'renderer', 'shared'].flatMap((d) => listSources(path.join(REPO, d))).map((file) => ({ file }));
    const graph = fileGraph(files);
    expect(
      tangles(graph).map((t) => describeTangle(graph, t)),
      'file import cycles (move what both need to a module of its own: e.g. sandbox/route.ts, renderer/store/state.ts)',
    ).toEqual([]);
  });

  it('finds a loop through a type-only import, and none in a one-way chain', () => {
    const f = (rel: string, text: string) => ({ file: path.join(REPO, rel), text });
    const graph = fileGraph([
      f('renderer/store/index.ts', `import { createUi } from './slices/ui';`),
      f('renderer/store/slices/ui.ts', `import type { AppState } from '../index';`),
      f('renderer/store/location.ts', `export const ROUTES = [];`),
      f('renderer/App.tsx', `import { ROUTES } from './store/location'; import { useStore } from './store';`),
    ]);
    const found = tangles(graph);
    expect(found).toEqual([[path.join(REPO, 'renderer/store/index.ts'), path.join(REPO, 'renderer/store/slices/ui.ts')]]);
    expect(describeTangle(graph, found[0]!)).toContain('renderer/store/slices/ui.ts → ../index');
    expect(tangles(fileGraph([f('a/x.ts', `import './y';`), f('a/y.ts', `import './z';`), f('a/z.ts', '')]))).toEqual([]);
  });
});

describe("import cycles between the core's domain folders", () => {
  it('there are none (each folder depends on another one way only)', () => {
    const graph = folderGraph(listSources(CORE).map((file) => ({ file })));
    const cycles = findCycles(graph);
    expect(
      cycles.map((c) => describeCycle(graph, c)),
      'folder import cycles (move the shared part, or pass it in from compose.ts)',
    ).toEqual([]);
  });

  it('finds a cycle when one is there, through a type-only or dynamic import too', () => {
    const f = (rel: string, text: string) => ({ file: path.join(CORE, rel), text });
    const graph = folderGraph([
      f('account/a.ts', `import type { T } from '../templates/t';`),
      f('templates/t.ts', `export type T = import('../webhooks/w').W;`),
      f('webhooks/w.ts', `export async function w() { return import('../account/a'); }`),
      f('db/x.ts', `import { y } from '../errors'; import z from 'better-sqlite3';`),
      f('files/y.ts', `export * from '../db/x';`),
    ]);
    const cycles = findCycles(graph);
    expect(cycles).toEqual([['account', 'templates', 'webhooks']]);
    expect(describeCycle(graph, cycles[0]!)).toContain('electron/core/webhooks/w.ts → ../account/a');
  });

  it('reports two cycles through one folder separately, and no cycle for a one-way chain', () => {
    const f = (rel: string, text: string) => ({ file: path.join(CORE, rel), text });
    expect(
      findCycles(
        folderGraph([
          f('campaigns/a.ts', `import '../contacts/b'; import '../whatsapp/c';`),
          f('contacts/b.ts', `import '../campaigns/a';`),
          f('whatsapp/c.ts', `import '../campaigns/a';`),
        ]),
      ),
    ).toEqual([
      ['campaigns', 'contacts'],
      ['campaigns', 'whatsapp'],
    ]);
    expect(findCycles(folderGraph([f('campaigns/a.ts', `import '../contacts/b';`), f('contacts/b.ts', `import '../db/c';`)]))).toEqual([]);
  });
});
