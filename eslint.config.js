// @ts-check
// ESLint for the whole tree: typescript-eslint's type-aware recommended rules, React's hook rules for
// the app, the architecture's arrows (./eslint-arrows.js) and eslint-config-prettier last, so
// Prettier alone decides the formatting.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { arrowRules } from './eslint-arrows.js';

export default defineConfig(
  { ignores: ['dist', 'test-results', 'playwright-report', '.e2e-tmp'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // One project service over tsconfig.json (it includes every folder) is much faster than
      // building a program per runtime tsconfig; `npm run typecheck` checks each runtime.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    rules: {
      // `_name` marks a parameter kept for its position (a callback's signature).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Promise interfaces (ChunkStore, Hasher) are implemented with `async` so a throw becomes a rejection.
      '@typescript-eslint/require-await': 'off',
      // Shared socket listeners (`this` is the socket, one function for all sockets) reach their owner by this name.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['manager'] }],
      // A `let` read by a closure before its one assignment (the tracker's stats) cannot be a const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Tests and benchmarks read untyped JSON off the wire and let their assertions check it.
    files: ['**/*.test.{ts,tsx}', '**/testing/**', 'e2e/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat['recommended-latest']],
  },
  ...arrowRules,
  prettier,
);
