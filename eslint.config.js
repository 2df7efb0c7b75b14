// Process boundaries are folders, and this file is what makes them real: a wrong import fails `npm test`.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodeOnlyPackages = ['better-sqlite3', 'better-sqlite3-multiple-ciphers', 'conf', 'electron-store', 'commander', 'ws'];

const noNodeOrElectron = {
  paths: [
    ...nodeBuiltins.map((name) => ({ name, message: 'renderer/ and shared/ run in the browser: no Node built-ins.' })),
    ...nodeOnlyPackages.map((name) => ({ name, message: 'Node-only package: keep it in electron/core or electron/main.' })),
    { name: 'electron', message: 'renderer/ and shared/ never import Electron; talk to the core through the contract client.' },
  ],
};

export const boundaryRules = {
  renderer: {
    'no-restricted-imports': [
      'error',
      {
        ...noNodeOrElectron,
        patterns: [{ group: ['**/electron/**'], message: 'The renderer reaches the core only through the contract (renderer/api).' }],
      },
    ],
  },
  shared: {
    'no-restricted-imports': [
      'error',
      {
        ...noNodeOrElectron,
        patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'shared/ is pure and depends on nothing above it.' }],
      },
    ],
  },
  core: {
    'no-restricted-imports': [
      'error',
      {
        paths: [
          { name: 'electron', message: 'electron/core is plain Node: pass Electron services in through interfaces.' },
          { name: 'electron-store', message: 'electron-store needs Electron: use the SettingsStore interface.' },
        ],
        patterns: [
          { group: ['**/electron/main/**', '**/electron/preload/**', '**/renderer/**'], message: 'core depends only on shared/ and Node.' },
        ],
      },
    ],
  },
  preload: {
    'no-restricted-imports': [
      'error',
      {
        paths: [
          {
            name: 'electron',
            allowImportNames: ['contextBridge', 'ipcRenderer', 'webUtils'],
            message: 'The preload may use only contextBridge, ipcRenderer and webUtils.',
          },
        ],
        patterns: [
          { group: ['**/electron/core/**', '**/electron/main/**', '**/renderer/**'], message: 'The preload knows only the contract.' },
        ],
      },
    ],
  },
  outsideMain: {
    'no-restricted-imports': [
      'error',
      {
        paths: [{ name: 'electron', message: 'Only electron/main imports Electron main-process APIs.' }],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tools/**', 'bench/.out/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['renderer/**/*.{ts,tsx}'], rules: boundaryRules.renderer },
  { files: ['shared/**/*.ts'], rules: boundaryRules.shared },
  { files: ['electron/core/**/*.ts'], rules: boundaryRules.core },
  { files: ['electron/preload/**/*.ts'], rules: boundaryRules.preload },
  { files: ['bench/**/*.ts', 'scripts/**/*.{ts,mjs}'], rules: boundaryRules.outsideMain },
  { files: ['**/*.{js,mjs,cjs}'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
