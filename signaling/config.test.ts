import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_LIMITS, envName, flagName, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has safe defaults', () => {
    const c = loadConfig([], {});
    expect(c).toEqual({
      port: 8080,
      host: '0.0.0.0',
      iceServers: [],
      limits: DEFAULT_LIMITS,
      stunPort: undefined,
      stunPublicUrl: undefined,
      turn: undefined,
      allowedOrigins: [],
    });
    expect(c.limits.maxMessageBytes).toBe(65536);
    expect(c.limits.maxPeersPerAnnounce).toBe(30);
  });

  it('reads the environment; flags win', () => {
    const env = { PORT: '9000', HOST: '127.0.0.1', TRACKER_MAX_CONNECTIONS_PER_IP: '7', TRACKER_MESSAGES_PER_SEC: '3' };
    const c = loadConfig(['--port', '9100', '--messages-per-sec', '4'], env);
    expect(c).toMatchObject({ port: 9100, host: '127.0.0.1', limits: { maxConnectionsPerIp: 7, messagesPerSec: 4 } });
  });

  it('names every limit consistently', () => {
    expect(envName('maxConnectionsPerIp')).toBe('TRACKER_MAX_CONNECTIONS_PER_IP');
    expect(flagName('maxConnectionsPerIp')).toBe('max-connections-per-ip');
  });

  it('parses ICE servers from JSON', () => {
    const ice = [{ urls: ['stun:a.example'] }, { urls: 'turn:b.example', username: 'u', credential: 'c' }];
    expect(loadConfig([], { ICE_SERVERS: JSON.stringify(ice) }).iceServers).toEqual(ice);
  });

  it('reads allowed origins, normalised; a non-origin is refused', () => {
    expect(loadConfig(['--allowed-origins', 'https://a.example, http://b.example:8080/'], {}).allowedOrigins).toEqual([
      'https://a.example',
      'http://b.example:8080',
    ]);
    expect(loadConfig([], { ALLOWED_ORIGINS: 'https://c.example' }).allowedOrigins).toEqual(['https://c.example']);
    expect(() => loadConfig([], { ALLOWED_ORIGINS: 'https://c.example/path' })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => loadConfig([], { ALLOWED_ORIGINS: '*' })).toThrow(/not an origin/);
  });

  it.each([
    [['--port', 'abc'], {}, /port/],
    [['--port', '70000'], {}, /port/],
    [[], { TRACKER_MAX_CONNECTIONS: '-5' }, /TRACKER_MAX_CONNECTIONS/],
    [['--max-message-bytes', '1.5'], {}, /max-message-bytes/],
    [['--no-such-flag'], {}, /no-such-flag/],
    [[], { ICE_SERVERS: '{nope' }, /ICE_SERVERS: not JSON/],
    [[], { ICE_SERVERS: '[{"url":"stun:x"}]' }, /ICE_SERVERS/],
  ])('refuses %j %j with a message naming it', (argv, env, words) => {
    expect(() => loadConfig(argv as string[], env)).toThrow(ConfigError);
    expect(() => loadConfig(argv as string[], env)).toThrow(words);
  });
});
