/**
 * Test-only switches. They are read only from localStorage key `swarmdrop.testFlags` (JSON), which
 * no UI sets: a test (or a developer, on purpose) writes it. They only change this peer's own
 * behaviour: a tampering peer just gets itself banned by the others. See docs/TESTING.md.
 */
import type { TestFlags } from '../worker/protocol';

export const TEST_FLAGS_KEY = 'swarmdrop.testFlags';

export interface PageTestFlags extends TestFlags {
  /** Relay simple-peer data instead of transferring channels (the fallback path). */
  forceRelay?: boolean;
  /** Pretend showSaveFilePicker is missing. */
  noSavePicker?: boolean;
}

export function readTestFlags(): PageTestFlags {
  try {
    const raw = globalThis.localStorage?.getItem(TEST_FLAGS_KEY);
    if (!raw) return {};
    const v = JSON.parse(raw) as Record<string, unknown>;
    return {
      tamper: v.tamper === true,
      noSubtle: v.noSubtle === true,
      forceRelay: v.forceRelay === true,
      noSavePicker: v.noSavePicker === true,
      superSeed: typeof v.superSeed === 'boolean' ? v.superSeed : undefined,
      uploadLimit: typeof v.uploadLimit === 'number' && v.uploadLimit > 0 ? v.uploadLimit : undefined,
      copyBytesPerSec: typeof v.copyBytesPerSec === 'number' && v.copyBytesPerSec > 0 ? v.copyBytesPerSec : undefined,
    };
  } catch {
    return {};
  }
}
