import { describe, expect, it } from 'vitest';
import { MAX_FILES } from '../protocol/metadata';
import { sourcesToShare } from './share-paths';

const file = (name: string) => new File(['x'], name);

describe('files a page asks to share', () => {
  it('shares under the paths given, or each file under its own name', () => {
    expect(sourcesToShare([file('a'), file('b')], ['d/a', 'd/e/b']).map((s) => s.name)).toEqual(['d/a', 'd/e/b']);
    expect(sourcesToShare([file('a')], undefined).map((s) => s.name)).toEqual(['a']);
  });

  it.each([
    ['../up', /can't be shared under this name/],
    ['/abs', /can't be shared under this name/],
    ['d//x', /can't be shared under this name/],
  ])('refuses the path %s as bad-files, before reading anything', (path, msg) => {
    expect(() => sourcesToShare([file('x')], [path])).toThrow(
      expect.objectContaining({ code: 'bad-files', message: expect.stringMatching(msg) }),
    );
  });

  it('refuses paths that collide, a path list that does not match, a non-string path, and too many files', () => {
    expect(() => sourcesToShare([file('a'), file('b')], ['d', 'd/x'])).toThrow(
      expect.objectContaining({ code: 'bad-files' }),
    );
    expect(() => sourcesToShare([file('a')], ['a', 'b'])).toThrow(/do not match/);
    expect(() => sourcesToShare([file('a')], [7])).toThrow(expect.objectContaining({ code: 'bad-files' }));
    const many = Array.from({ length: MAX_FILES + 1 }, () => file('x'));
    expect(() => sourcesToShare(many, undefined)).toThrow(new RegExp(`at most ${MAX_FILES}`));
  });
});
