import { describe, expect, it } from 'vitest';
import { currentPath, matchRoute, shareLink } from './router';

describe('router', () => {
  const routes = [
    { pattern: /^\/$/, view: 'home' },
    { pattern: /^\/d\/(?<id>[^/?#]*)$/, view: 'share' },
  ];
  it('reads the path from the hash', () => {
    expect(currentPath('')).toBe('/');
    expect(currentPath('#')).toBe('/');
    expect(currentPath('#/d/abc')).toBe('/d/abc');
    expect(currentPath('#garbage')).toBe('/');
  });
  it('matches routes with named params, undefined for unknown paths', () => {
    expect(matchRoute(routes, '/d/xyz')).toEqual({ view: 'share', params: { id: 'xyz' } });
    expect(matchRoute(routes, '/')).toEqual({ view: 'home', params: {} });
    expect(matchRoute(routes, '/nope')).toBeUndefined();
  });
  it('builds stable share links', () => {
    expect(shareLink('A'.repeat(43), 'http://h:1')).toBe(`http://h:1/#/s/${'A'.repeat(43)}`);
  });
});
