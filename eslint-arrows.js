// @ts-check
// The architecture's arrows as lint rules (README, "Layout"). import-x/no-restricted-paths works on
// the resolved file, so `../engine/types` and `../../engine/types` are the same import; an import
// it cannot resolve passes silently, which is why scripts/eslint-arrows.test.ts lints a violating
// import for every zone.

/** Every file outside src/ (tests, tools, the tracker), packages excluded. */
const OUTSIDE_SRC = './!(src|node_modules)/**';

/** @type {{ target: string | string[]; from: string | string[]; except?: string[]; message: string }[]} */
export const zones = [
  {
    target: './src/protocol/!(*.test).ts',
    from: ['./src/!(protocol)/**', OUTSIDE_SRC],
    message: 'src/protocol is the bottom layer: it imports only itself.',
  },
  {
    target: './src/engine',
    from: ['./src/!(engine|protocol)/**', OUTSIDE_SRC],
    message: 'src/engine imports only src/protocol and itself.',
  },
  {
    target: ['./src/!(engine)/**', OUTSIDE_SRC],
    from: './src/engine',
    except: ['./index.ts', './testing/index.ts'],
    message: 'Reach the engine through src/engine/index.ts (test helpers: src/engine/testing/index.ts).',
  },
  {
    target: './src/app',
    from: './src/engine',
    message: 'The app talks to the engine only through the worker (src/worker/protocol.ts).',
  },
];

/** @type {import('eslint').Linter.Config[]} */
export const arrowRules = [
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones, basePath: import.meta.dirname }] },
  },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: ['**/testing/**', '**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vitest', message: 'Test helpers live in a testing/ folder or a *.test.ts file.' }],
          patterns: [{ group: ['@vitest/*'], message: 'Test helpers live in a testing/ folder or a *.test.ts file.' }],
        },
      ],
    },
  },
];
