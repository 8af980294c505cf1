/** Engine settings out of range are refused when the engine is built. */
import { describe, expect, it } from 'vitest';
import { EngineConfigError, resolveConfig } from './config';

describe('resolveConfig', () => {
  it('refuses an uplink queue of less than one chunk or negative seconds, and allows no chunk limit', () => {
    for (const bad of [{ uplinkQueueChunks: 0 }, { uplinkQueueChunks: NaN }, { uplinkQueueSeconds: -1 }])
      expect(() => resolveConfig(bad), JSON.stringify(bad)).toThrow(EngineConfigError);
    expect(resolveConfig({ uplinkQueueChunks: Infinity }).uplinkQueueChunks).toBe(Infinity);
    expect(resolveConfig({ uplinkQueueSeconds: 0 }).uplinkQueueSeconds).toBe(0);
  });
});
