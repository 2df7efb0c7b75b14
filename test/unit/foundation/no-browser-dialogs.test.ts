import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The app asks with its own dialog (renderer/components/ConfirmDialog.tsx: styled, translated,
 * focus-trapped), never with the browser's confirm() / alert() / prompt(), which are unstyled,
 * untranslated and block the page. Any call named like them in renderer/ fails, even a local
 * function of that name, so a reader never has to check which one it is.
 */
const ROOT = path.resolve(__dirname, '../../../renderer');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

const CALL = /(?<![\w$])(?:window\.|globalThis\.)?(confirm|alert|prompt)\s*\(/g;

export function browserDialogCalls(source: string): string[] {
  // Comments may name them (to say why not); code may not.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  return [...code.matchAll(CALL)].map((m) => m[0]);
}

describe('no browser dialogs in the renderer', () => {
  it('finds the calls it is meant to find (so the scan cannot silently pass)', () => {
    expect(browserDialogCalls('if (!window.confirm(t("x"))) return;')).toEqual(['window.confirm(']);
    expect(browserDialogCalls('const ok = confirm ("sure?")')).toEqual(['confirm (']);
    expect(browserDialogCalls('alert(1); globalThis.prompt("n")')).toHaveLength(2);
    expect(browserDialogCalls('onConfirm(); setConfirmStart(true); // confirm(')).toEqual([]);
  });

  it('renderer/ calls none of confirm(), alert(), prompt()', () => {
    const found = files(ROOT).flatMap((f) => browserDialogCalls(fs.readFileSync(f, 'utf8')).map((c) => `${path.relative(ROOT, f)}: ${c}`));
    expect(found).toEqual([]);
  });
});
