import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = {
  group: ['node:*'],
  message:
    'Node built-ins are not available here: keep this layer portable (shared) or browser-only (renderer).',
};
const electronImport = {
  name: 'electron',
  message: 'src/core and src/shared run without Electron: reach the host through a port instead.',
};
const ipcRendererUse = {
  selector: "Identifier[name='ipcRenderer']",
  message: 'Only src/preload may touch ipcRenderer; everything else uses the Bridge.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', ipcRendererUse],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronImport] }] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronImport], patterns: [nodeBuiltins] }] },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: [electronImport], patterns: [nodeBuiltins] }],
    },
  },
  {
    // Renderer unit tests run in Node (they read the locale files and sources from disk).
    files: ['src/renderer/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronImport] }] },
  },
  {
    // Evaluated inside the page by a benchmark.
    files: ['bench/*.page.js'],
    languageOptions: { globals: { ...globals.browser } },
    // The file is one function expression, handed to page.evaluate as text.
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
