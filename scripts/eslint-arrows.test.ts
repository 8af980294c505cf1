/**
 * The architecture's arrows (eslint-arrows.js) catch what they should. import-x/no-restricted-paths
 * lets an import it cannot resolve pass silently, so a broken resolver setting would switch the
 * rule off without a sound: every zone is attacked here with an import that must be reported, next
 * to one that must not. Only the two arrow rules run, without type information, so this is fast.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ARROW_RULES = new Set(['import-x/no-restricted-paths', 'no-restricted-imports']);
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [tseslint.configs.disableTypeChecked],
  ruleFilter: ({ ruleId }) => ARROW_RULES.has(ruleId),
});

/** Rule ids reported for `code` as if it were the file `file` (which need not exist). */
async function reported(file: string, code: string): Promise<(string | null)[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((m) => m.ruleId);
}

const ZONE = 'import-x/no-restricted-paths';
const VITEST = 'no-restricted-imports';

// The first lint loads the whole ESLint config: seconds of CPU that a loaded machine stretches.
describe('architecture arrows', { timeout: 60_000 }, () => {
  it.each([
    ['the app importing the engine', 'src/app/arrow.ts', "import { SwarmEngine } from '../engine/index';", ZONE],
    ['the app importing the engine as a folder', 'src/app/views/arrow.tsx', "import '../../engine';", ZONE],
    ['the worker reaching past the index', 'src/worker/arrow.ts', "import type { C } from '../engine/types';", ZONE],
    ['the simulator reaching past the index', 'src/sim/arrow.ts', "import { Ledger } from '../engine/ledger';", ZONE],
    ['the tracker reaching past the index', 'signaling/arrow.ts', "import '../src/engine/random.ts';", ZONE],
    ['a test helper past the index', 'src/worker/testing/a.ts', "import '../../engine/testing/held-pair';", ZONE],
    ['the engine importing the worker', 'src/engine/arrow.ts', "import type { W } from '../worker/protocol';", ZONE],
    ['the engine importing the simulator', 'src/engine/testing/arrow.ts', "import '../../sim/bounds';", ZONE],
    ['the protocol importing the engine', 'src/protocol/arrow.ts', "import { R } from '../engine/index';", ZONE],
    ['vitest outside a test', 'src/sim/arrow.ts', "import { expect } from 'vitest';", VITEST],
    ['vitest in the tracker', 'signaling/arrow.ts', "import { it } from 'vitest';", VITEST],
  ])('reports %s', async (_name, file, code, rule) => {
    expect(await reported(file, code)).toEqual([rule]);
  });

  it.each([
    ['the worker using the index', 'src/worker/arrow.ts', "import { SwarmEngine } from '../engine/index';"],
    ['the worker using the folder', 'src/worker/arrow.ts', "import { SwarmEngine } from '../engine';"],
    ['a test using the test kit', 'src/worker/arrow.test.ts', "import { TestSwarm } from '../engine/testing/index';"],
    ['the simulator using the index', 'src/sim/arrow.ts', "import { SwarmEngine } from '../engine/index';"],
    ['the engine using the protocol', 'src/engine/arrow.ts', "import { encodeWireMessage } from '../protocol/wire';"],
    ['the engine using itself', 'src/engine/arrow.ts', "import { Ledger } from './ledger';"],
    ['the app using the worker protocol', 'src/app/arrow.ts', "import type { W } from '../worker/protocol';"],
    ['vitest in a test file', 'src/sim/arrow.test.ts', "import { expect } from 'vitest';"],
    ['vitest in a testing folder', 'signaling/testing/arrow.ts', "import { it } from 'vitest';"],
  ])('allows %s', async (_name, file, code) => {
    expect(await reported(file, code)).toEqual([]);
  });
});
