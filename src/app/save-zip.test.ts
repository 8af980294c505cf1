import { describe, expect, it } from 'vitest';
import { zipEntryName, zipName } from './save-zip';

describe('ZIP entry names', () => {
  it('keeps the tree and cleans each segment (hidden characters, characters Windows refuses)', () => {
    expect(zipEntryName('class/week 1/slides.pdf')).toBe('class/week 1/slides.pdf');
    expect(zipEntryName('a:b/invoice\u202Egpj.exe')).toBe('a_b/invoicegpj.exe');
    expect(zipEntryName('q?/"x"|<y>*')).toBe('q_/_x___y__');
  });

  it('names the archive after the shared folder, or generically for loose files', () => {
    const files = (...names: string[]) => ({ files: names.map((name) => ({ name, size: 1, offset: 0 })) });
    expect(zipName(files('class/a', 'class/b/c'))).toBe('class.zip');
    expect(zipName(files('class/a', 'other/b'))).toBe('swarmdrop-files.zip');
    expect(zipName(files('a', 'b'))).toBe('swarmdrop-files.zip');
  });
});
