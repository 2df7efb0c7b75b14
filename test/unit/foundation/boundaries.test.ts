import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../support/harness';

// Lints in-memory sources as if they lived in each folder: proves the boundary rules fire.
const eslint = new ESLint({ cwd: REPO });
const lint = async (file: string, code: string) => {
  const [res] = await eslint.lintText(code, { filePath: path.join(REPO, file) });
  return res!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

describe('process boundaries (eslint)', { timeout: 180_000 }, () => {
  it('renderer may not import Node built-ins, Node-only packages or Electron', async () => {
    expect(await lint('renderer/features/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(await lint('renderer/features/x.ts', "import path from 'path';\nexport const a = path;\n")).toHaveLength(1);
    expect(await lint('renderer/features/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toHaveLength(
      1,
    );
    expect(await lint('renderer/features/x.ts', "import Database from 'better-sqlite3';\nexport const a = Database;\n")).toHaveLength(1);
    expect(
      await lint('renderer/features/x.ts', "import { createCore } from '../../electron/core/index';\nexport const a = createCore;\n"),
    ).toHaveLength(1);
  });

  it('shared may not import Node or anything above it', async () => {
    expect(await lint('shared/x.ts', "import crypto from 'node:crypto';\nexport const a = crypto;\n")).toHaveLength(1);
    expect(await lint('shared/x.ts', "import { api } from '../renderer/api/client';\nexport const a = api;\n")).toHaveLength(1);
  });

  it('core may use Node but never Electron', async () => {
    expect(await lint('electron/core/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(0);
    expect(await lint('electron/core/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await lint('electron/core/x.ts', "import Store from 'electron-store';\nexport const a = Store;\n")).toHaveLength(1);
  });

  it('only main imports Electron main-process APIs; the preload gets renderer-side APIs only', async () => {
    expect(
      await lint('electron/main/x.ts', "import { app, BrowserWindow } from 'electron';\nexport const a = [app, BrowserWindow];\n"),
    ).toHaveLength(0);
    expect(
      await lint(
        'electron/preload/x.ts',
        "import { contextBridge, ipcRenderer } from 'electron';\nexport const a = [contextBridge, ipcRenderer];\n",
      ),
    ).toHaveLength(0);
    expect(await lint('electron/preload/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await lint('scripts/x.mjs', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
  });

  // Lints the whole tree: slow on a loaded 2-core machine, so it gets its own budget.
  it('the real tree has no boundary violation', { timeout: 180_000 }, async () => {
    // Only the boundary rule, so this checks what it says and stays quick.
    const boundaryOnly = new ESLint({ cwd: REPO, ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports' });
    const results = await boundaryOnly.lintFiles(['renderer', 'shared', 'electron']);
    const violations = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}: ${m.message}`),
    );
    expect(violations).toEqual([]);
  });
});
