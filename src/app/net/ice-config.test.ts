import { describe, expect, it } from 'vitest';
import { loadIceConfig } from './ice-config';

const respond = (body: unknown, ok = true) => (async () => ({ ok, json: async () => body })) as unknown as typeof fetch;

describe('loadIceConfig', () => {
  it('keeps well-formed ICE servers', async () => {
    const servers = [{ urls: 'stun:127.0.0.1:3478' }, { urls: ['turn:x'], username: 'u', credential: 'c' }];
    expect(await loadIceConfig(respond({ iceServers: servers }))).toEqual({ iceServers: servers });
  });
  it('drops malformed entries and survives a bad or missing config', async () => {
    expect(await loadIceConfig(respond({ iceServers: [{ urls: 5 }, null, 'x', { urls: 'stun:ok' }] }))).toEqual({
      iceServers: [{ urls: 'stun:ok' }],
    });
    expect(await loadIceConfig(respond({ iceServers: 'nope' }))).toEqual({ iceServers: [] });
    expect(await loadIceConfig(respond(null, false))).toEqual({ iceServers: [] });
    const throwing = (async () => {
      throw new Error('offline');
    }) as unknown as typeof fetch;
    expect(await loadIceConfig(throwing)).toEqual({ iceServers: [] });
  });
});
