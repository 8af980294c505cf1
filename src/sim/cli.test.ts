import { describe, expect, it } from 'vitest';
import { parseSimArgs, UsageError } from '../../scripts/sim';
import { BROWSER_ENGINE_CONFIG } from '../worker/session';

describe('sim CLI arguments', () => {
  it('parses the documented flags into bytes and bytes per second', () => {
    const o = parseSimArgs([
      '--peers',
      '100',
      '--size-mib',
      '64',
      '--up-kibps',
      '512',
      '--seed-up-kibps',
      '1024',
      '--mode',
      'cs',
      '--seed',
      '3',
    ]);
    expect(o).toMatchObject({
      peers: 100,
      sizeBytes: 64 * 1024 * 1024,
      upBps: 512 * 1024,
      seedUpBps: 1024 * 1024,
      mode: 'cs',
      seed: 3,
      scenario: 'equal',
    });
    expect(o.downBps).toBeUndefined();
    expect(o.chunkSize).toBe(256 * 1024); // 64 MiB: the lecture's chunk
  });
  it('picks the chunk size from the file size as the app does, unless --chunk-kib is given', () => {
    expect(parseSimArgs(['--size-mib', '16']).chunkSize).toBe(64 * 1024);
    expect(parseSimArgs(['--size-mib', '4']).chunkSize).toBe(16 * 1024);
    expect(parseSimArgs(['--size-mib', '4', '--chunk-kib', '256']).chunkSize).toBe(256 * 1024);
  });
  it('rejects bad values with a UsageError', () => {
    for (const args of [
      ['--peers', '0'],
      ['--peers', '2.5'],
      ['--up-kibps', 'fast'],
      ['--up-kibps', '0'],
      ['--down-kibps', '-1'],
      ['--mode', 'mesh'],
      ['--scenario', 'storm'],
      ['--chunk-kib', '100'],
      ['--size-mib', ''],
      ['--engine', 'slots=3'],
      ['--engine', '[1]'],
      ['--engine', '{"gentleEventRechoke":false}'], // no such setting (a folded experiment)
    ]) {
      expect(() => parseSimArgs(args), args.join(' ')).toThrow(UsageError);
    }
  });
  it('passes engine settings through', () => {
    expect(parseSimArgs(['--engine', '{"superSeeding":true}']).engineConfig).toEqual({ superSeeding: true });
  });
  it('--browser-config runs the worker engine settings (under --engine) with the upload capped in the engine', () => {
    const o = parseSimArgs(['--browser-config', '--engine', '{"highWaterBytes":65536}']);
    expect(o.engineConfig).toEqual({ ...BROWSER_ENGINE_CONFIG, highWaterBytes: 65536 });
    expect(o.blockSize).toBe(BROWSER_ENGINE_CONFIG.blockSize);
    expect(o.engineUploadCap).toBe(true);
    expect(parseSimArgs([]).engineUploadCap).toBe(false);
  });
  it('rejects unknown flags', () => {
    expect(() => parseSimArgs(['--turbo'])).toThrow();
  });
});
