import { describe, expect, it } from 'vitest';
import { displayName, MAX_SHOWN, REPLACEMENT as R, saveAsName } from './display-name';

describe('displayName', () => {
  it('shows a right-to-left override as a visible character, and the real extension apart', () => {
    const shown = displayName('invoice\u202Egpj.exe');
    expect(shown).toEqual({ base: `invoice${R}gpj`, ext: '.exe', text: `invoice${R}gpj.exe` });
    expect(shown.text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/u);
  });

  it.each([
    ['bidi embeddings and isolates', 'a\u202Ab\u202Bc\u202Cd\u2066e\u2067f\u2068g\u2069h.txt'],
    ['marks', 'a\u200Eb\u200Fc\u061Cd.txt'],
    ['zero-width characters', 'a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf.txt'],
    ['C0 and C1 controls', 'a\u0000b\u0007c\u001Bd\u007Fe\u0085f\u009Bg.txt'],
    ['line and paragraph separators, soft hyphen, tags', 'a\u2028b\u2029c\u00ADd\u{E0041}e.txt'],
  ])('neutralises %s', (_what, name) => {
    const shown = displayName(name);
    expect(shown.ext).toBe('.txt');
    expect([...shown.base].every((c) => /[a-h]/.test(c) || c === R)).toBe(true);
  });

  it('keeps ordinary names, accents and right-to-left letters as they are', () => {
    expect(displayName('report 2024.pdf')).toEqual({ base: 'report 2024', ext: '.pdf', text: 'report 2024.pdf' });
    expect(displayName('café résumé.docx').text).toBe('café résumé.docx');
    expect(displayName('שלום.txt')).toEqual({ base: 'שלום', ext: '.txt', text: 'שלום.txt' });
  });

  it('a run of spaces cannot push the real extension out of sight', () => {
    expect(displayName('holiday.jpg' + ' '.repeat(200) + '.exe').text).toBe('holiday.jpg .exe');
  });

  it('names without an extension, dot files and trailing dots', () => {
    expect(displayName('README')).toEqual({ base: 'README', ext: '', text: 'README' });
    expect(displayName('.bashrc')).toEqual({ base: '.bashrc', ext: '', text: '.bashrc' });
    expect(displayName('archive.tar.gz').ext).toBe('.gz');
    expect(displayName('trailing.').ext).toBe('');
  });

  it('shortens a very long name in the middle and keeps the extension', () => {
    const shown = displayName('a'.repeat(500) + 'tail.exe');
    expect([...shown.text].length).toBeLessThanOrEqual(MAX_SHOWN);
    expect(shown.text).toMatch(/^a+…a+tail\.exe$/);
    expect(shown.ext).toBe('.exe');
  });

  it('does not cut a surrogate pair when shortening', () => {
    const shown = displayName('😀'.repeat(300) + '.png');
    expect(shown.text).not.toMatch(/[\uD800-\uDFFF](?![\uDC00-\uDFFF])/u);
    expect(shown.ext).toBe('.png');
  });

  it('saves a spoofed name under its real extension, with no hidden characters', () => {
    expect(saveAsName('invoice\u202Egpj.exe')).toBe('invoicegpj.exe');
    expect(saveAsName('a\u200B\u0085b  \t c.pdf')).toBe('ab c.pdf');
    expect(saveAsName('\u202E\u200B')).toBe('download');
    expect(saveAsName('report 2026.pdf')).toBe('report 2026.pdf');
  });
});
